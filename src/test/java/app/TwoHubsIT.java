package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import testkit.AdminClient;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WsTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out and hub loss with real JVMs from the built jar: two hubs and one fake-plugin JVM on one cluster. Both
 * hubs' clients get the update of a shared address from one upstream watch; when one hub is killed, the plugin drops
 * exactly that hub's subscriptions and the other hub keeps serving.
 */
class TwoHubsIT {

  private static final String SHARED = "0xSharedAddress";

  private final List<JarProcess> processes = new ArrayList<>();
  private final List<WsTestClient> clients = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    processes.forEach(JarProcess::close);
    vertx.close();
  }

  @Test
  void twoHubsShareOnePluginAndALostHubTakesOnlyItsOwnSubscriptions() {
    String clusterName = "it-" + UUID.randomUUID();
    int[] clusterPorts = FreePorts.clusterPortBlocks(3);
    JsonArray members = new JsonArray();
    for (int port : clusterPorts) {
      members.add("127.0.0.1:" + port);
    }
    int hubAPort = FreePorts.next();
    int hubBPort = FreePorts.next();
    int adminBPort = FreePorts.next();
    JarProcess hubA = start("two-hubs-a", hub(hubAPort, FreePorts.next()), clusterName, clusterPorts[0], members);
    start("two-hubs-b", hub(hubBPort, adminBPort), clusterName, clusterPorts[1], members);
    start("two-hubs-plugin", new JsonObject().put("role", "plugin").put("plugin", "fake"), clusterName, clusterPorts[2], members);
    AdminClient adminB = new AdminClient(adminBPort);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
      .until(() -> adminB.pluginSubscriptions("fake") == 0);

    WsTestClient onA = connect(hubAPort);
    WsTestClient onB = connect(hubBPort);
    assertThat(onA.call(subscribe(1, SHARED, "a1", "a2", "a3"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,1,1,1],\"id\":1}");
    assertThat(onB.call(subscribe(1, SHARED, "b1"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,1],\"id\":1}");
    assertThat(nextUpdates(onA, 4)).contains(update(SHARED));
    assertThat(nextUpdates(onB, 2)).contains(update(SHARED));
    JsonObject fake = adminB.stats().getJsonObject("plugins").getJsonObject("fake");
    assertThat(fake.getInteger("watchedAddresses")).as("one upstream watch per address").isEqualTo(5);
    assertThat(fake.getInteger("subscriptions")).isEqualTo(6);
    assertThat(fake.getInteger("connections")).isEqualTo(2);

    long killedAt = System.nanoTime();
    hubA.kill();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
      .until(() -> adminB.pluginSubscriptions("fake") == adminB.hubSubscriptions("fake"));
    System.out.printf("hub JVM killed -> plugin dropped its subscriptions in %d ms%n", Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
    assertThat(adminB.pluginSubscriptions("fake")).isEqualTo(2);

    assertThat(onB.call(subscribe(2, "b2"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");
    assertThat(onB.next(Duration.ofSeconds(15))).isEqualTo(update("b2"));
  }

  private JarProcess start(String name, JsonObject config, String clusterName, int clusterPort, JsonArray members) {
    try {
      config.put("cluster", new JsonObject().put("name", clusterName).put("port", clusterPort).put("portCount", FreePorts.CLUSTER_PORT_BLOCK).put("members", members));
      JarProcess process = JarProcess.start(name, config, true);
      processes.add(process);
      return process;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject hub(int port, int adminPort) {
    return new JsonObject().put("role", "hub").put("hub", new JsonObject().put("port", port)).put("admin", new JsonObject().put("port", adminPort));
  }

  private WsTestClient connect(int port) {
    WsTestClient client = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> WsTestClient.connect(vertx, port), c -> true);
    clients.add(client);
    return client;
  }

  private static String subscribe(int id, String... addresses) {
    JsonArray params = new JsonArray();
    for (String address : addresses) {
      params.add(new JsonArray().add("fake").add(address));
    }
    return new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", id).encode();
  }

  private static List<String> nextUpdates(WsTestClient client, int count) {
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(client.next(Duration.ofSeconds(15)));
    }
    return messages;
  }

  private static String update(String address) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"" + address + "\",null]}";
  }
}
