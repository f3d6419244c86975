package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WsTestClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code CHANGE_SERVER_*} variables configure the real topology: the server JVM takes its ports and its children's heap
 * from them, logs their names and never their values, and the supervised plugin JVM sees none of them (it would
 * otherwise apply {@code CHANGE_SERVER_role=all} to its own config and become a second hub).
 */
class EnvironmentOverridesIT {

  private final Vertx vertx = Vertx.vertx();
  private JarProcess launcher;

  @AfterEach
  void stop() {
    if (launcher != null) {
      launcher.close();
    }
    vertx.close();
  }

  @Test
  void overridesReachTheServerAndThroughItsConfigTheChildrenButNotTheirEnvironment() throws Exception {
    int hubPort = FreePorts.next();
    int adminPort = FreePorts.next();
    // The file's ports are wrong on purpose: only the overrides make the hub reachable.
    JsonObject file = new JsonObject()
      .put("hub", new JsonObject().put("port", 1))
      .put("cluster", new JsonObject().put("name", "it-" + UUID.randomUUID()).put("port", FreePorts.clusterPortBlocks(1)[0])
        .put("portCount", FreePorts.CLUSTER_PORT_BLOCK));
    launcher = JarProcess.startAsOperatorsDo("env-overrides-" + UUID.randomUUID().toString().substring(0, 8), file, Map.of(
      "CHANGE_SERVER_role", "all",
      "CHANGE_SERVER_HUB__PORT", String.valueOf(hubPort),
      "CHANGE_SERVER_admin__port", String.valueOf(adminPort),
      "CHANGE_SERVER_admin__childMetricsPortBase", "0",
      "CHANGE_SERVER_plugins__blockbook__enabled", "false",
      "CHANGE_SERVER_plugins__evmRpc__enabled", "false",
      "CHANGE_SERVER_supervisor__heapMb__plugin", "320",
      "CHANGE_SERVER_plugins__fake__unusedMarker", "s3cret-marker-value"));

    WsTestClient client = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
      .until(() -> WsTestClient.connect(vertx, hubPort), connected -> true);
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"abc\",\"100\"]],\"id\":0}"))
      .as(launcher.output()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");
    client.close();

    ProcessHandle server = onlyChild(launcher.children());
    ProcessHandle plugin = onlyChild(server.children().toList());
    assertThat(plugin.info().arguments().map(Arrays::asList).orElseThrow()).contains("-Xmx320m");
    assertThat(overrideVariables(server)).hasSize(8);
    assertThat(overrideVariables(plugin)).isEmpty();

    String output = launcher.output();
    assertThat(output).contains("\"msg\":\"config keys set by environment\"", "CHANGE_SERVER_HUB__PORT", "CHANGE_SERVER_plugins__fake__unusedMarker");
    assertThat(output).doesNotContain("s3cret-marker-value");
  }

  private static List<String> overrideVariables(ProcessHandle process) throws Exception {
    String environ = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "environ"), StandardCharsets.UTF_8);
    return Arrays.stream(environ.split("\0")).filter(variable -> variable.startsWith(ConfigOverrides.PREFIX)).toList();
  }

  private static ProcessHandle onlyChild(List<ProcessHandle> children) {
    assertThat(children).hasSize(1);
    return children.get(0);
  }
}
