package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WsTestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may take part in a deployment's traffic, with real JVMs from the built jar: with event-bus TLS, a JVM without a
 * trusted certificate gets no request through even though it reaches the cluster; a JVM with another cluster name
 * never joins. The certificates under src/test/resources/tls are throwaway test material.
 */
class ClosedClusterIT {

  private static final Path TLS = Path.of("src", "test", "resources", "tls");

  private final List<JarProcess> processes = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    processes.forEach(JarProcess::close);
    vertx.close();
  }

  @Test
  void membersWithTheTrustedCertificateTalkOverTls() {
    int hubPort = startHubAndPlugin("member", "member", null);
    try (WsTestClient client = connect(hubPort)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(client.call(subscribe(1, "over-tls"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}"));
      assertThat(client.next(Duration.ofSeconds(15))).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"over-tls\",null]}");
    }
  }

  @Test
  void aJvmWithoutTheTrustedCertificateGetsNoTraffic() {
    int hubPort = startHubAndPlugin("member", "rogue", null);
    JarProcess rogue = processes.get(1);
    await().atMost(Duration.ofSeconds(60)).until(() -> rogue.output().contains("plugin announced"));
    try (WsTestClient client = connect(hubPort)) {
      // The rogue registered "fake" in the cluster, but no request reaches it: the hub's answer is never 1.
      for (int id = 1; id <= 3; id++) {
        assertThat(client.call(subscribe(id, "secret-" + id))).isIn(
          "{\"jsonrpc\":\"2.0\",\"result\":[2],\"id\":" + id + "}", "{\"jsonrpc\":\"2.0\",\"result\":[-1],\"id\":" + id + "}");
      }
      client.expectNothing(Duration.ofSeconds(2));
    }
  }

  @Test
  void aJvmWithAnotherClusterNameNeverJoins() {
    int hubPort = startHubAndPlugin(null, null, "another-" + UUID.randomUUID());
    JarProcess stranger = processes.get(1);
    await().atMost(Duration.ofSeconds(60)).until(() -> stranger.output().contains("plugin announced"));
    try (WsTestClient client = connect(hubPort)) {
      assertThat(client.call(subscribe(1, "x"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[-1],\"id\":1}");
    }
  }

  /** A hub JVM and a fake-plugin JVM; each may present a certificate (null: plain TCP) or use another cluster name. */
  private int startHubAndPlugin(String hubCert, String pluginCert, String pluginClusterName) {
    String clusterName = "it-" + UUID.randomUUID();
    int[] clusterPorts = FreePorts.clusterPortBlocks(2);
    int hubClusterPort = clusterPorts[0];
    int pluginClusterPort = clusterPorts[1];
    JsonArray members = new JsonArray().add("127.0.0.1:" + hubClusterPort).add("127.0.0.1:" + pluginClusterPort);
    int hubPort = FreePorts.next();
    start("closed-hub", new JsonObject().put("role", "hub")
      .put("hub", new JsonObject().put("port", hubPort).put("busTimeoutMs", 3000))
      .put("admin", new JsonObject().put("port", FreePorts.next()))
      .put("cluster", cluster(clusterName, hubClusterPort, members, hubCert)));
    start("closed-plugin", new JsonObject().put("role", "plugin").put("plugin", "fake")
      .put("cluster", cluster(pluginClusterName != null ? pluginClusterName : clusterName, pluginClusterPort, members, pluginCert)));
    return hubPort;
  }

  private static JsonObject cluster(String name, int port, JsonArray members, String cert) {
    JsonObject cluster = new JsonObject().put("name", name).put("port", port).put("portCount", FreePorts.CLUSTER_PORT_BLOCK).put("members", members);
    if (cert != null) {
      cluster.put("tls", new JsonObject()
        .put("certPath", TLS.resolve(cert + ".crt").toString())
        .put("keyPath", TLS.resolve(cert + ".key").toString())
        .put("trustedCertPaths", new JsonArray().add(TLS.resolve(cert + ".crt").toString())));
    }
    return cluster;
  }

  private void start(String name, JsonObject config) {
    try {
      processes.add(JarProcess.start(name, config, true));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private WsTestClient connect(int port) {
    return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> WsTestClient.connect(vertx, port), c -> true);
  }

  private static String subscribe(int id, String address) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"" + address + "\"]],\"id\":" + id + "}";
  }
}
