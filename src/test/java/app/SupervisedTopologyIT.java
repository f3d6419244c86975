package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testkit.AdminClient;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WsTestClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static testkit.PrometheusText.has;
import static testkit.PrometheusText.sample;

/**
 * The default topology from the built jar (role all: hub in the supervisor JVM, the fake plugin in a child JVM),
 * with real processes killed: a plugin crash costs clients nothing (no subLost, no false "changed"), and no JVM outlives its supervisor.
 */
class SupervisedTopologyIT {

  private static final int SOCKETS = 50;
  private static final int ADDRESSES_PER_SOCKET = 20;

  private final List<WsTestClient> clients = new ArrayList<>();
  private Vertx vertx;
  private JarProcess topology;
  private int hubPort;
  private int adminPort;
  private int childMetricsPort;
  private AdminClient admin;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    hubPort = FreePorts.next();
    adminPort = FreePorts.next();
    childMetricsPort = FreePorts.next();
    admin = new AdminClient(adminPort);
    topology = JarProcess.start("topology-" + UUID.randomUUID().toString().substring(0, 8), new JsonObject()
      // Long enough for any restart here: the subscribe made meanwhile must get the restarted plugin's answer.
      .put("hub", new JsonObject().put("port", hubPort).put("pluginWaitMs", 60_000))
      .put("admin", new JsonObject().put("port", adminPort).put("childMetricsPortBase", childMetricsPort))
      .put("cluster", new JsonObject().put("name", "it-" + UUID.randomUUID()).put("port", FreePorts.clusterPortBlocks(1)[0]).put("portCount", FreePorts.CLUSTER_PORT_BLOCK))
      .put("plugins", new JsonObject()
        .put("fake", new JsonObject().put("updateDelayMs", 1000))
        .put("blockbook", new JsonObject().put("enabled", false))
        .put("evmRpc", new JsonObject().put("enabled", false))), false);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
      .until(() -> admin.pluginSubscriptions("fake") == 0);
  }

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    topology.close();
    vertx.close();
  }

  @Test
  void aKilledPluginJvmIsRestartedAndEverySubscriptionReplayed() {
    for (int s = 0; s < SOCKETS; s++) {
      WsTestClient client = WsTestClient.connect(vertx, hubPort);
      clients.add(client);
      assertThat(client.call(subscribeCall(s))).isEqualTo(allOnes(s));
    }
    for (int s = 0; s < SOCKETS; s++) {
      assertThat(receiveUpdates(clients.get(s))).isEqualTo(addressesOf(s));
    }
    assertThat(admin.pluginSubscriptions("fake")).isEqualTo(SOCKETS * ADDRESSES_PER_SOCKET);
    await().atMost(Duration.ofSeconds(15)).until(() -> admin.ready() == 200);

    List<ProcessHandle> before = topology.children();
    assertThat(before).as("one child JVM: the fake plugin").hasSize(1);
    long killedAt = System.nanoTime();
    before.get(0).destroyForcibly();

    // While it restarts, "fake" is known but unserved: a subscribe is held until the new instance answers it (1),
    // neither -1 (unsupported) nor 2 (re-sync everything).
    await().atMost(Duration.ofSeconds(15)).until(() -> admin.pluginSubscriptions("fake") == -1);
    assertThat(admin.ready()).as("/ready while the plugin JVM is down").isEqualTo(503);
    WsTestClient duringRestart = WsTestClient.connect(vertx, hubPort);
    clients.add(duringRestart);
    assertThat(duringRestart.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"late\",\"7\"]],\"id\":0}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");
    assertThat(duringRestart.next(Duration.ofSeconds(30))).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"late\",null]}");

    // Every socket's subscriptions are replayed to the new instance with their checkpoints; it starts fresh watches, so
    // each socket gets its fake update again (PROTOCOL.md), and nothing else: no subLost.
    for (int s = 0; s < SOCKETS; s++) {
      assertThat(receiveUpdates(clients.get(s))).isEqualTo(addressesOf(s));
    }
    System.out.printf("plugin JVM killed -> every socket's updates replayed in %d ms%n", Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.pluginSubscriptions("fake") == SOCKETS * ADDRESSES_PER_SOCKET + 1);
    await().atMost(Duration.ofSeconds(15)).until(() -> admin.ready() == 200);
    assertThat(topology.children()).hasSize(1).doesNotContainAnyElementsOf(before);
    clients.forEach(client -> client.expectNothing(Duration.ofMillis(300)));
  }

  /**
   * The plugin's meters live in the child JVM: it serves them on the port planned for it, and the hub's /stats lists
   * that port next to its own as the scrape targets.
   */
  @Test
  void theChildJvmServesItsOwnMetricsAndStatsListsEveryScrapeTarget() throws Exception {
    assertThat(admin.stats().getJsonArray("scrapeTargets")).containsExactly(
      new JsonObject().put("name", "hub").put("role", "hub").put("pluginIds", new JsonArray())
        .put("url", "http://127.0.0.1:" + adminPort + "/metrics"),
      new JsonObject().put("name", "fake").put("role", "plugin").put("pluginIds", new JsonArray().add("fake"))
        .put("url", "http://127.0.0.1:" + childMetricsPort + "/metrics"));

    // Two sockets, four subscriptions on three addresses (one shared).
    WsTestClient alice = WsTestClient.connect(vertx, hubPort);
    WsTestClient bob = WsTestClient.connect(vertx, hubPort);
    clients.add(alice);
    clients.add(bob);
    assertThat(alice.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"m1\"],[\"fake\",\"m2\"],[\"fake\",\"shared\"]],\"id\":0}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,1,1],\"id\":0}");
    assertThat(bob.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"shared\"]],\"id\":0}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");

    String childUrl = "http://127.0.0.1:" + childMetricsPort + "/metrics";
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
      .until(() -> sample(scrape(childUrl), "change_plugin_subscription_count{pluginId=\"fake\"}") == 4);
    String child = scrape(childUrl);
    assertThat(sample(child, "change_plugin_watched_address_count{pluginId=\"fake\"}")).isEqualTo(3);
    assertThat(sample(child, "change_plugin_connection_count{pluginId=\"fake\"}")).isEqualTo(2);
    assertThat(child).contains("jvm_memory_used_bytes{");
    // It is the child's own registry: no hub series there, no plugin series on the hub's.
    assertThat(has(child, "change_connection_count")).isFalse();
    String hubMetrics = scrape("http://127.0.0.1:" + adminPort + "/metrics");
    assertThat(sample(hubMetrics, "change_subscription_count{pluginId=\"fake\"}")).isEqualTo(4);
    // (The hub's JVM may run plugins of its own, the unkeyed alchemy plugin: none of the fake's series are there.)
    assertThat(hubMetrics).doesNotContain("change_plugin_subscription_count{pluginId=\"fake\"}");
  }

  private static String scrape(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
      .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }

  @Test
  void sigtermClosesSocketsWith1001ExitsZeroAndLeavesNoChild() throws Exception {
    WsTestClient client = WsTestClient.connect(vertx, hubPort);
    clients.add(client);
    List<ProcessHandle> children = topology.children();
    assertThat(children).isNotEmpty();

    assertThat(topology.terminate(30)).as("exit code after SIGTERM").isEqualTo(0);
    assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
    assertThat(client.closeStatus()).isEqualTo((short) 1001);
    children.forEach(child -> assertThat(child.isAlive()).as("child %d", child.pid()).isFalse());
  }

  @Test
  void killingTheSupervisorLeavesNoJvmBehindWithinTenSeconds() {
    List<ProcessHandle> children = topology.children();
    assertThat(children).isNotEmpty();
    long killedAt = System.nanoTime();
    topology.kill();
    await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    System.out.printf("supervisor killed -> children gone in %d ms%n", Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
  }

  private static String subscribeCall(int socket) {
    JsonArray params = new JsonArray();
    addressesOf(socket).forEach(address -> params.add(new JsonArray().add("fake").add(address).add("100")));
    return new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", socket).encode();
  }

  private static String allOnes(int id) {
    JsonArray ones = new JsonArray();
    for (int i = 0; i < ADDRESSES_PER_SOCKET; i++) {
      ones.add(1);
    }
    return "{\"jsonrpc\":\"2.0\",\"result\":" + ones.encode() + ",\"id\":" + id + "}";
  }

  private static Set<String> addressesOf(int socket) {
    Set<String> addresses = new HashSet<>();
    for (int a = 0; a < ADDRESSES_PER_SOCKET; a++) {
      addresses.add("s" + socket + "-a" + a);
    }
    return addresses;
  }

  /** The addresses of the next {@value #ADDRESSES_PER_SOCKET} messages, each of which must be a fake update. */
  private static Set<String> receiveUpdates(WsTestClient client) {
    Set<String> updated = new HashSet<>();
    for (int i = 0; i < ADDRESSES_PER_SOCKET; i++) {
      JsonObject message = new JsonObject(client.next(Duration.ofSeconds(60)));
      assertThat(message.getString("method")).as("message %s", message).isEqualTo("update");
      JsonArray params = message.getJsonArray("params");
      assertThat(params.getString(0)).isEqualTo("fake");
      assertThat(params.getValue(2)).isNull();
      updated.add(params.getString(1));
    }
    return updated;
  }
}
