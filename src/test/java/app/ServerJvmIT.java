package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testkit.AdminClient;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WsTestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code java -jar change-server.jar} as the README starts it, with no heap option: the jar relaunches itself as the
 * server JVM, and every JVM of the topology gets the bounded heap of its role and the class-data archive the build
 * wrote beside the jar; the first JVM forwards SIGTERM and its death ends every other.
 */
class ServerJvmIT {

  private Vertx vertx;
  private JarProcess launcher;
  private int hubPort;
  private AdminClient admin;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    hubPort = FreePorts.next();
    int adminPort = FreePorts.next();
    admin = new AdminClient(adminPort);
    launcher = JarProcess.startAsOperatorsDo("server-jvm-" + UUID.randomUUID().toString().substring(0, 8), new JsonObject()
      .put("hub", new JsonObject().put("port", hubPort))
      .put("admin", new JsonObject().put("port", adminPort).put("childMetricsPortBase", 0))
      .put("cluster", new JsonObject().put("name", "it-" + UUID.randomUUID()).put("port", FreePorts.clusterPortBlocks(1)[0])
        .put("portCount", FreePorts.CLUSTER_PORT_BLOCK))
      .put("plugins", new JsonObject().put("blockbook", new JsonObject().put("enabled", false)).put("evmRpc", new JsonObject().put("enabled", false))));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
      .until(() -> admin.pluginSubscriptions("fake") == 0);
  }

  @AfterEach
  void stop() {
    launcher.close();
    vertx.close();
  }

  @Test
  void everyJvmHasTheHeapOfItsRoleAndTheClassDataArchive() {
    ProcessHandle server = onlyChild(launcher.children());
    List<String> serverArguments = arguments(server);
    Path archive = Path.of("target", "change-server.jsa").toAbsolutePath();
    assertThat(archive).as("written by mvn package").exists();
    assertThat(serverArguments).contains("-Xmx768m", "-XX:SharedArchiveFile=" + archive);
    ProcessHandle plugin = onlyChild(server.children().toList());
    assertThat(arguments(plugin)).contains("-Xmx512m", "-XX:SharedArchiveFile=" + archive);

    WsTestClient client = WsTestClient.connect(vertx, hubPort);
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"abc\",\"100\"]],\"id\":0}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");
    client.close();
  }

  @Test
  void sigtermReachesTheServerWhichClosesSocketsWith1001AndEveryJvmExitsZero() throws Exception {
    WsTestClient client = WsTestClient.connect(vertx, hubPort);
    ProcessHandle server = onlyChild(launcher.children());
    List<ProcessHandle> plugins = server.children().toList();

    assertThat(launcher.terminate(60)).as("exit code after SIGTERM").isEqualTo(0);
    assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
    assertThat(client.closeStatus()).isEqualTo((short) 1001);
    assertThat(server.isAlive()).isFalse();
    plugins.forEach(plugin -> assertThat(plugin.isAlive()).as("plugin %d", plugin.pid()).isFalse());
  }

  @Test
  void killingTheFirstJvmLeavesNoJvmBehindWithinTenSeconds() {
    ProcessHandle server = onlyChild(launcher.children());
    List<ProcessHandle> all = new java.util.ArrayList<>(server.children().toList());
    all.add(server);
    launcher.kill();
    await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
  }

  private static ProcessHandle onlyChild(List<ProcessHandle> children) {
    assertThat(children).hasSize(1);
    return children.get(0);
  }

  private static List<String> arguments(ProcessHandle process) {
    return process.info().arguments().map(Arrays::asList).orElseThrow();
  }
}
