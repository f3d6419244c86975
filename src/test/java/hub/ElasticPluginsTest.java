package hub;

import api.PluginStats;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import plugins.fake.FakePluginVerticle;
import testkit.FreePorts;
import testkit.GatedPluginVerticle;
import testkit.InlineHub;
import testkit.PluginProbe;
import testkit.WsTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several instances of one pluginId in one JVM (the inline topology: each fake plugin verticle is an instance with its
 * own bus addresses), a real hub and real WebSocket clients: each address goes to one owner, closes reach every instance,
 * instances join and drain with nothing lost or leaked, and a subscribe made before any instance is up waits for one.
 * The same across JVMs and hosts: {@code app.ElasticPluginsIT} and {@code app.MultiHostIT}.
 */
@ExtendWith(VertxExtension.class)
class ElasticPluginsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<WsTestClient> clients = new ArrayList<>();
  private Vertx vertx;
  private int port;

  @AfterEach
  void close() {
    clients.forEach(WsTestClient::close);
  }

  @Test
  void fourClientsOverTwoInstancesLeaveNothingBehind(Vertx vertx) {
    start(vertx, 2, new JsonObject());
    List<WsTestClient> four = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      WsTestClient client = connect();
      four.add(client);
      assertThat(client.call(subscribe(0, "c" + c + "-", 0, 200))).isEqualTo(ones(0, 200));
    }
    List<PluginStats> instances = PluginProbe.perInstance(vertx, "fake");
    assertThat(instances).hasSize(2).allSatisfy(stats -> assertThat(stats.subscriptions()).isGreaterThan(200));
    assertThat(instances.stream().mapToInt(PluginStats::subscriptions).sum()).isEqualTo(800);
    assertThat(instances.stream().mapToInt(PluginStats::watchedAddresses).sum()).isEqualTo(800);
    // Both instances held something of every socket: a close must reach both.
    assertThat(instances).allSatisfy(stats -> assertThat(stats.connections()).isEqualTo(4));
    four.forEach(WsTestClient::close);
    await().atMost(WAIT).untilAsserted(() -> assertThat(PluginProbe.perInstance(vertx, "fake"))
      .allSatisfy(stats -> assertThat(List.of(stats.subscriptions(), stats.watchedAddresses(), stats.connections())).containsOnly(0)));
  }

  @Test
  void everyCasingOfAnAddressAndEveryHubSocketReachTheSameOwner(Vertx vertx) {
    start(vertx, 3, new JsonObject());
    for (int c = 0; c < 6; c++) {
      String casing = c % 2 == 0 ? "0xAbCdEf0123" : "0xabcdef0123";
      assertThat(connect().call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"" + casing + "\",\"5\"]],\"id\":0}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");
    }
    List<PluginStats> instances = PluginProbe.perInstance(vertx, "fake");
    assertThat(instances).hasSize(3);
    assertThat(instances.stream().map(PluginStats::subscriptions).toList()).containsExactlyInAnyOrder(6, 0, 0);
  }

  @Test
  void aJoiningInstanceTakesItsShareAndItsUpdatesReachTheClients(Vertx vertx) {
    start(vertx, 1, new JsonObject());
    List<WsTestClient> two = List.of(connect(), connect());
    for (int c = 0; c < 2; c++) {
      assertThat(two.get(c).call(subscribe(0, "j" + c + "-", 0, 300))).isEqualTo(ones(0, 300));
    }
    for (int c = 0; c < 2; c++) {
      assertThat(updates(two.get(c), 300)).hasSize(300);
    }
    deployFake(vertx);
    await().atMost(WAIT).untilAsserted(() -> {
      List<PluginStats> instances = PluginProbe.perInstance(vertx, "fake");
      assertThat(instances).hasSize(2).allSatisfy(stats -> assertThat(stats.subscriptions()).isGreaterThan(150));
      assertThat(instances.stream().mapToInt(PluginStats::subscriptions).sum()).isEqualTo(600);
      assertThat(instances.stream().mapToInt(PluginStats::watchedAddresses).sum()).isEqualTo(600);
    });
    assertThat(HubStats.of(vertx).toJson().getJsonObject("moves").getLong("fake")).isBetween(150L, 450L);
    // A move is not news: no update, no subLost. Then activity at either owner reaches its subscriber.
    two.forEach(client -> client.expectNothing(Duration.ofMillis(1_500)));
    PluginProbe.activityOnEveryAddress(vertx, "fake");
    for (int c = 0; c < 2; c++) {
      assertThat(updates(two.get(c), 300)).hasSize(300);
    }
  }

  @Test
  void aDrainingInstanceHandsEverythingOverAndStopsAtOnce(Vertx vertx) {
    start(vertx, 1, new JsonObject());
    // With a drain limit far above the test's bound, leaving in time proves it left because it held nothing.
    String leaving = InlineHub.join(vertx.deployVerticle(new FakePluginVerticle(), new DeploymentOptions()
      .setConfig(new JsonObject().put("updateDelayMs", 500).put("drainMs", 120_000))));
    WsTestClient client = connect();
    assertThat(client.call(subscribe(0, "d-", 0, 400))).isEqualTo(ones(0, 400));
    assertThat(updates(client, 400)).hasSize(400);
    await().atMost(WAIT).until(() -> PluginProbe.perInstance(vertx, "fake").stream().allMatch(stats -> stats.subscriptions() > 100));
    long undeployStart = System.nanoTime();
    InlineHub.join(vertx.undeploy(leaving));
    assertThat(Duration.ofNanos(System.nanoTime() - undeployStart)).isLessThan(Duration.ofSeconds(60));
    List<PluginStats> left = PluginProbe.perInstance(vertx, "fake");
    assertThat(left).hasSize(1);
    assertThat(left.get(0).subscriptions()).isEqualTo(400);
    client.expectNothing(Duration.ofMillis(1_000));
    PluginProbe.activityOnEveryAddress(vertx, "fake");
    assertThat(updates(client, 400)).hasSize(400);
  }

  @Test
  void aSubscribeMadeBeforeAnyInstanceIsUpGetsTheRealAnswer(Vertx vertx) {
    startHubOnly(vertx, new JsonObject().put("pluginWaitMs", 8_000));
    WsTestClient client = connect();
    client.send("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"early\",\"3\"],[\"fake\",\"\",\"3\"],[\"nochain\",\"x\"]],\"id\":7}");
    client.expectNothing(Duration.ofMillis(1_000));
    deployFake(vertx);
    assertThat(client.next(WAIT)).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,0,-1],\"id\":7}");
    assertThat(client.next(WAIT)).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"early\",null]}");
  }

  @Test
  void pastTheWaitTheAnswerIsTwoAndTheFirstInstanceUpGetsTheSubscription(Vertx vertx) {
    startHubOnly(vertx, new JsonObject().put("pluginWaitMs", 300).put("startupWaitMs", 0));
    WsTestClient client = connect();
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"late\",\"3\"]],\"id\":1}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[2],\"id\":1}");
    deployFake(vertx);
    await().atMost(WAIT).until(() -> PluginProbe.total(vertx, "fake").subscriptions() == 1);
    // Nobody held it before: the instance starts a fresh watch (PROTOCOL.md), whose update follows.
    assertThat(client.next(WAIT)).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"late\",null]}");
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"unsubscribe\",\"params\":[[\"fake\",\"late\"]],\"id\":2}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2}");
    await().atMost(WAIT).until(() -> PluginProbe.total(vertx, "fake").subscriptions() == 0);
  }

  @Test
  void aSubscribeInFlightWhenItsOnlyInstanceLeavesIsAnsweredByTheNextOneNotWithTwo(Vertx vertx) {
    startHubOnly(vertx, new JsonObject().put("knownPluginIds", new JsonArray().add("fake").add(GatedPluginVerticle.PLUGIN_ID))
      .put("pluginWaitMs", 15_000).put("startupWaitMs", 0));
    String hanging = InlineHub.join(vertx.deployVerticle(new GatedPluginVerticle(), new DeploymentOptions()
      .setConfig(new JsonObject().put("hang", true).put("scanTimeoutMs", 60_000))));
    await().atMost(WAIT).until(() -> PluginProbe.perInstance(vertx, GatedPluginVerticle.PLUGIN_ID).size() == 1);
    int scansBefore = GatedPluginVerticle.SCANS.get();
    WsTestClient client = connect();
    client.send("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"gated\",\"x\",\"5\"]],\"id\":9}");
    await().atMost(WAIT).until(() -> GatedPluginVerticle.SCANS.get() > scansBefore);
    // Its only instance stops with the subscribe unanswered: the hub re-routes it, holds it, and the next instance answers.
    InlineHub.join(vertx.undeploy(hanging));
    client.expectNothing(Duration.ofMillis(500));
    InlineHub.join(vertx.deployVerticle(new GatedPluginVerticle()));
    assertThat(client.next(WAIT)).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":9}");
    await().atMost(WAIT).until(() -> PluginProbe.total(vertx, GatedPluginVerticle.PLUGIN_ID).subscriptions() == 1);
  }

  @Test
  void aSharedAddressHandedOverBeforeItsUpdateFiredStillGetsItOnEverySocket(Vertx vertx) {
    this.vertx = vertx;
    InlineHub.join(vertx.deployVerticle(new FakePluginVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("updateDelayMs", 3_000))));
    startHubOnly(vertx, new JsonObject());
    await().atMost(WAIT).until(() -> PluginProbe.perInstance(vertx, "fake").size() == 1);
    List<WsTestClient> two = List.of(connect(), connect());
    for (WsTestClient client : two) {
      assertThat(client.call(subscribe(0, "shared-", 0, 50))).isEqualTo(ones(0, 50));
    }
    // A second instance joins before the updates are due: about half the addresses move, both sockets' pairs with them.
    deployFake(vertx);
    for (WsTestClient client : two) {
      assertThat(updates(client, 50)).hasSize(50);
    }
    two.forEach(client -> client.expectNothing(Duration.ofMillis(3_500)));
    assertThat(PluginProbe.perInstance(vertx, "fake")).allSatisfy(stats -> assertThat(stats.subscriptions()).isPositive());
  }

  @Test
  void unsubscribesGoWhereEachSubscriptionIs(Vertx vertx) {
    start(vertx, 3, new JsonObject());
    WsTestClient client = connect();
    assertThat(client.call(subscribe(0, "u-", 0, 300))).isEqualTo(ones(0, 300));
    JsonArray half = new JsonArray();
    for (int i = 0; i < 150; i++) {
      half.add(new JsonArray().add("fake").add("u-" + i));
    }
    assertThat(client.callSkippingNotifications(new JsonObject().put("jsonrpc", "2.0").put("method", "unsubscribe").put("params", half).put("id", 1).encode()))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1}");
    await().atMost(WAIT).untilAsserted(() -> assertThat(PluginProbe.total(vertx, "fake").subscriptions()).isEqualTo(150));
  }

  private void start(Vertx vertx, int instances, JsonObject hubConfig) {
    for (int i = 0; i < instances; i++) {
      deployFake(vertx);
    }
    startHubOnly(vertx, hubConfig);
    await().atMost(WAIT).until(() -> PluginProbe.perInstance(vertx, "fake").size() == instances);
  }

  private void startHubOnly(Vertx vertx, JsonObject hubConfig) {
    this.vertx = vertx;
    port = FreePorts.next();
    JsonObject config = new JsonObject().put("knownPluginIds", new JsonArray().add("fake")).put("discoveryMs", 0).mergeIn(hubConfig)
      .put("port", port);
    InlineHub.join(vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private static String deployFake(Vertx vertx) {
    return InlineHub.join(vertx.deployVerticle(new FakePluginVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("updateDelayMs", 500))));
  }

  private WsTestClient connect() {
    WsTestClient client = WsTestClient.connect(vertx, port);
    clients.add(client);
    return client;
  }

  /** The addresses of the next {@code count} update notifications. */
  private static Set<String> updates(WsTestClient client, int count) {
    Set<String> addresses = new HashSet<>();
    for (int i = 0; i < count; i++) {
      JsonObject update = new JsonObject(client.next(WAIT));
      assertThat(update.getString("method")).isEqualTo("update");
      addresses.add(update.getJsonArray("params").getString(1));
    }
    return addresses;
  }

  private static String subscribe(int id, String prefix, int from, int count) {
    JsonArray params = new JsonArray();
    for (int i = from; i < from + count; i++) {
      params.add(new JsonArray().add("fake").add(prefix + i).add("10"));
    }
    return new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", id).encode();
  }

  private static String ones(int id, int count) {
    JsonArray results = new JsonArray();
    for (int i = 0; i < count; i++) {
      results.add(1);
    }
    return new JsonObject().put("jsonrpc", "2.0").put("result", results).put("id", id).encode();
  }
}
