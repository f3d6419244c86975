package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WsTestClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built jar launched twice, as a hub JVM and a fake-plugin JVM, joined by a real Hazelcast cluster on 127.0.0.1:
 * a WebSocket client on the hub receives the update produced in the other JVM.
 */
class ClusterIT {

  private Vertx vertx;
  private JarProcess hub;
  private JarProcess plugin;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    if (hub != null) {
      hub.close();
    }
    if (plugin != null) {
      plugin.close();
    }
    vertx.close();
  }

  @Test
  void hubAndFakePluginInSeparateJvmsServeAClientEndToEnd() throws Exception {
    int hubPort = FreePorts.next();
    int[] clusterPorts = FreePorts.clusterPortBlocks(2);
    int hubClusterPort = clusterPorts[0];
    int pluginClusterPort = clusterPorts[1];
    String clusterName = "it-" + UUID.randomUUID();
    JsonArray members = new JsonArray().add("127.0.0.1:" + hubClusterPort).add("127.0.0.1:" + pluginClusterPort);

    hub = JarProcess.start("cluster-hub", new JsonObject()
      .put("role", "hub")
      .put("hub", new JsonObject().put("port", hubPort))
      .put("cluster", cluster(clusterName, hubClusterPort, members)), true);
    plugin = JarProcess.start("cluster-plugin-fake", new JsonObject()
      .put("role", "plugin")
      .put("plugin", "fake")
      .put("cluster", cluster(clusterName, pluginClusterPort, members)), true);

    WsTestClient client = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
      .ignoreExceptions()
      .until(() -> WsTestClient.connect(vertx, hubPort), c -> true);
    try (client) {
      // The plugin JVM may still be joining: until its address is registered the hub answers -1.
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"probe\"]],\"id\":0}"))
          .as("hub log:%n%s%nplugin log:%n%s", hub.output(), plugin.output())
          .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}"));
      client.next(Duration.ofSeconds(10));

      assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"0xF5335367A46c2484f13abd051444E39775EA7b60\",\"19000000\"],[\"nochain\",\"x\"]],\"id\":1}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,-1],\"id\":1}");
      assertThat(client.next(Duration.ofSeconds(15)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"0xF5335367A46c2484f13abd051444E39775EA7b60\",null]}");
    }
    assertThat(hub.isAlive()).isTrue();
    assertThat(plugin.isAlive()).isTrue();
  }

  private static JsonObject cluster(String name, int port, JsonArray members) {
    return new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", port).put("portCount", FreePorts.CLUSTER_PORT_BLOCK).put("members", members);
  }
}
