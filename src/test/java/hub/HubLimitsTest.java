package hub;

import api.PluginStats;
import api.plugin.ChainStatus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import ops.FakeHeap;
import ops.Metrics;
import testkit.GatedPluginVerticle;
import testkit.InlineHub;
import testkit.PluginProbe;
import testkit.RawWebSocket;
import testkit.WsTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each limit of {@link HubLimits}: just under passes, just over gets the documented error or close, state intact. */
@ExtendWith(VertxExtension.class)
class HubLimitsTest {

  private InlineHub hub;

  @AfterEach
  void close() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void edgesWalletStartUpGoesThroughTheDefaultLimitsUntouched(Vertx vertx) {
    // 30,000 addresses in sequential calls of 100, each sent the moment the previous one is answered (PROTOCOL.md).
    hub = InlineHub.deploy(vertx, new JsonObject());
    WsTestClient wallet = hub.connect();
    for (int call = 0; call < 300; call++) {
      StringBuilder tuples = new StringBuilder();
      StringBuilder ones = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        tuples.append(i == 0 ? "" : ",").append("[\"fake\",\"w").append(call).append('-').append(i).append("\",\"10\"]");
        ones.append(i == 0 ? "" : ",").append('1');
      }
      assertThat(wallet.callSkippingNotifications("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[" + tuples + "],\"id\":" + call + "}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[" + ones + "],\"id\":" + call + "}");
    }
    assertThat(wallet.closeStatus()).isNull();
  }

  @Test
  void aMessageOverTheSizeLimitClosesWith1009AndOthersAreUnaffected(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxMessageBytes", 4096)));
    WsTestClient bystander = hub.connect();
    assertThat(bystander.call(subscribe(1, "kept"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}");
    WsTestClient big = hub.connect();
    String justUnder = subscribe(2, "x".repeat(4096 - subscribe(2, "").length()));
    assertThat(justUnder.length()).isEqualTo(4096);
    assertThat(big.call(justUnder)).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");
    big.send(subscribe(3, "x".repeat(4097 - subscribe(3, "").length())));
    assertThat(big.awaitClosed(Duration.ofSeconds(10))).isTrue();
    assertThat(big.closeStatus()).isEqualTo((short) 1009);
    assertThat(bystander.call(subscribe(4, "after"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":4}");
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.pluginStats().connections() == 1);
    assertThat(closes().getLong("size")).isEqualTo(1);
  }

  @Test
  void tooManyTuplesInOneCallIsRefusedWholeAndChangesNothing(Vertx vertx) {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxTuplesPerCall", 10)));
    WsTestClient client = hub.connect();
    assertThat(client.call(subscribeMany(1, "a", 10))).startsWith("{\"jsonrpc\":\"2.0\",\"result\":[1,1,1,1,1,1,1,1,1,1],");
    assertThat(client.call(subscribeMany(2, "b", 11)))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params: at most 10 tuples per call\"},\"id\":2}");
    assertThat(hub.pluginStats()).isEqualTo(new PluginStats("fake", 10, 10, 1, ChainStatus.NO_UPSTREAM));
  }

  @Test
  void theSubscriptionLimitRefusesTheWholeCallAndCountsOnlyNewPairs(Vertx vertx) {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxSubscriptionsPerConnection", 5)));
    WsTestClient client = hub.connect();
    client.call(subscribeMany(1, "a", 3));
    assertThat(client.call(subscribeMany(2, "b", 3)))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"Subscription limit reached: at most 5 per connection\"},\"id\":2}");
    assertThat(hub.pluginStats().subscriptions()).isEqualTo(3);
    assertThat(client.call(subscribeMany(3, "a", 3))).as("re-subscribing held pairs adds nothing").contains("\"result\":[1,1,1]");
    assertThat(client.call(subscribeMany(4, "b", 2))).contains("\"result\":[1,1]");
    assertThat(hub.pluginStats().subscriptions()).isEqualTo(5);
  }

  @Test
  void aClientAddressesSubscriptionBudgetSpansAllItsSocketsAndRefusesTheWholeCall(Vertx vertx) {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxSubscriptionsPerIp", 5)).put("trustedProxies", new JsonArray().add("127.0.0.1")));
    WsTestClient first = connectFrom("203.0.113.1");
    WsTestClient second = connectFrom("203.0.113.1");
    WsTestClient elsewhere = connectFrom("198.51.100.1");
    assertThat(first.call(subscribeMany(1, "a", 3))).contains("\"result\":[1,1,1]");
    assertThat(second.call(subscribeMany(2, "b", 3)))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"Subscription limit reached: at most 5 per client address\"},\"id\":2}");
    assertThat(second.call(subscribeMany(3, "a", 3))).as("pairs the socket does not hold count, even if another socket holds them")
      .contains("\"error\"");
    assertThat(second.call(subscribeMany(4, "b", 2))).contains("\"result\":[1,1]");
    assertThat(first.call(subscribeMany(5, "a", 3))).as("re-subscribing held pairs adds nothing").contains("\"result\":[1,1,1]");
    assertThat(elsewhere.call(subscribeMany(6, "c", 5))).as("another address has its own budget").contains("\"result\":[1,1,1,1,1]");
    assertThat(hub.pluginStats().subscriptions()).isEqualTo(10);
    assertThat(hub.hubStats().toJson().getLong("budgetRefused")).isEqualTo(6);
    first.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.pluginStats().subscriptions() == 7);
    assertThat(second.call(subscribeMany(7, "d", 3))).as("a closed socket gives its share back").contains("\"result\":[1,1,1]");
  }

  @Test
  void aSocketsUnansweredCallsAreBoundedByHoldingBackItsFurtherCalls(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxTuplesPerCall", 10))
      .put("knownPluginIds", new JsonArray().add("fake").add(GatedPluginVerticle.PLUGIN_ID)));
    InlineHub.join(vertx.deployVerticle(new GatedPluginVerticle(), new DeploymentOptions()
      .setConfig(new JsonObject().put("hang", true).put("scanTimeoutMs", 1_500))));
    await().atMost(Duration.ofSeconds(10)).until(() -> PluginProbe.perInstance(vertx, GatedPluginVerticle.PLUGIN_ID).size() == 1);
    int before = GatedPluginVerticle.SCANS.get();
    WsTestClient client = hub.connect();
    for (int call = 0; call < 3; call++) {
      JsonArray params = new JsonArray();
      for (int i = 0; i < 10; i++) {
        params.add(new JsonArray().add(GatedPluginVerticle.PLUGIN_ID).add("g" + call + "-" + i).add("5"));
      }
      client.send(new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", call).encode());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> GatedPluginVerticle.SCANS.get() - before == 10);
    Thread.sleep(500);
    assertThat(GatedPluginVerticle.SCANS.get() - before).as("the second call waits until the first is answered").isEqualTo(10);
    for (int call = 0; call < 3; call++) {
      assertThat(client.next(Duration.ofSeconds(10))).as("a scan that times out answers 2").contains("\"result\":[2,2,2,2,2,2,2,2,2,2]");
    }
    assertThat(GatedPluginVerticle.SCANS.get() - before).isEqualTo(30);
  }

  @Test
  void aClientAddressSubscribingFasterThanItsRateIsSlowedNotRefusedAndOthersPassIt(Vertx vertx) {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxTuplesPerSecondPerIp", 100)).put("trustedProxies", new JsonArray().add("127.0.0.1")));
    WsTestClient first = connectFrom("203.0.113.1");
    WsTestClient second = connectFrom("203.0.113.1");
    WsTestClient other = connectFrom("198.51.100.1");
    long start = System.nanoTime();
    first.send(subscribeMany(1, "a", 100));
    second.send(subscribeMany(2, "b", 100));
    first.send(subscribeMany(3, "c", 100));
    assertThat(first.nextReply(Duration.ofSeconds(10))).contains("\"result\":[1,").contains("\"id\":1");
    assertThat(other.callSkippingNotifications(subscribeMany(4, "d", 100))).as("another address is not held behind the first").contains("\"result\":[1,");
    assertThat(second.nextReply(Duration.ofSeconds(10))).contains("\"result\":[1,").contains("\"id\":2");
    assertThat(first.nextReply(Duration.ofSeconds(10))).contains("\"result\":[1,").contains("\"id\":3");
    // A call is served while the address owes nothing: the second hundred puts it a second in debt, the third waits.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));
    assertThat(hub.hubStats().toJson().getLong("budgetRefused")).isZero();
  }

  @Test
  void garbageCostsItsAddressRateBySizeSoItCannotBeSentFasterThanCalls(Vertx vertx) {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxTuplesPerSecondPerIp", 1000)).put("trustedProxies", new JsonArray().add("127.0.0.1")));
    WsTestClient garbage = connectFrom("203.0.113.1");
    WsTestClient sameAddress = connectFrom("203.0.113.1");
    WsTestClient other = connectFrom("198.51.100.1");
    // Three messages of 100 kB that are no call weigh about 1,000 tuples each: three seconds of this address's rate.
    String notACall = "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"" + "x".repeat(100_000) + "\"]],\"id\":0";
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      garbage.send(notACall);
    }
    assertThat(garbage.nextReply(Duration.ofSeconds(10))).contains("\"error\":{\"code\":-32700");
    assertThat(other.callSkippingNotifications(subscribe(1, "other"))).as("another address is not held behind it")
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}");
    sameAddress.send(subscribe(2, "late"));
    assertThat(sameAddress.nextReply(Duration.ofSeconds(10))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");
    // The first message is read at once, the second puts the address a second in debt: the call waits for it.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));
    assertThat(garbage.nextReply(Duration.ofSeconds(10))).contains("\"error\":{\"code\":-32700");
    assertThat(garbage.nextReply(Duration.ofSeconds(10))).contains("\"error\":{\"code\":-32700");
  }

  @Test
  void aClientsBacklogAtAPluginHoldsAnotherClientsCallBehindOneOfItsRequestsNotAll(Vertx vertx) {
    hub = InlineHub.deploy(vertx, new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))
      .put("knownPluginIds", new JsonArray().add("fake").add(GatedPluginVerticle.PLUGIN_ID)));
    // Each address costs the plugin's event loop 1 ms: a call of 300 is 0.3 s of its time.
    InlineHub.join(vertx.deployVerticle(new GatedPluginVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("normalizeMs", 1))));
    await().atMost(Duration.ofSeconds(10)).until(() -> PluginProbe.perInstance(vertx, GatedPluginVerticle.PLUGIN_ID).size() == 1);
    GatedPluginVerticle.NORMALIZED.clear();
    WsTestClient heavy = connectFrom("203.0.113.1");
    WsTestClient heavyToo = connectFrom("203.0.113.1");
    WsTestClient wallet = connectFrom("198.51.100.1");
    for (int call = 0; call < 6; call++) {
      (call % 2 == 0 ? heavy : heavyToo).send(subscribeMany(call, GatedPluginVerticle.PLUGIN_ID, "h" + call + "-", 300, "5"));
    }
    // The plugin is busy with the heavy client's first request, the others waiting: the wallet's call comes now.
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> !GatedPluginVerticle.NORMALIZED.isEmpty());
    wallet.send(subscribeMany(9, GatedPluginVerticle.PLUGIN_ID, "w", 1, "5"));
    assertThat(wallet.nextReply(Duration.ofSeconds(10))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":9}");
    // Served after the heavy client's request in progress and at most one more of its (both its sockets are one client),
    // not after all that were waiting: before the heavy client's fourth request.
    List<String> served = new ArrayList<>(GatedPluginVerticle.NORMALIZED);
    assertThat(served).contains("w0");
    assertThat(served.indexOf("w0") / 300).as("heavy requests (of 6) served before the wallet's").isLessThanOrEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(heavy.nextReply(Duration.ofSeconds(10))).contains("\"result\":[1,");
      assertThat(heavyToo.nextReply(Duration.ofSeconds(10))).contains("\"result\":[1,");
    }
  }

  @Test
  void aClosedMemoryGuardRefusesNewSubscriptionsWholeKeepsTheHeldOnesAndReopens(Vertx vertx) {
    FakeHeap heap = FakeHeap.attachTo(vertx);
    hub = InlineHub.deploy(vertx, new JsonObject());
    WsTestClient client = hub.connect();
    assertThat(client.call(subscribeMany(1, "held", 3))).contains("\"result\":[1,1,1]");
    heap.set(90, 85);
    assertThat(client.callSkippingNotifications(subscribeMany(2, "new", 2)))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"Server busy: no new subscriptions accepted for now, subscribe again later\"},\"id\":2}");
    assertThat(client.callSkippingNotifications(subscribeMany(3, "held", 3))).as("held pairs re-subscribe").contains("\"result\":[1,1,1]");
    assertThat(hub.pluginStats().subscriptions()).isEqualTo(3);
    heap.set(60, 60);
    assertThat(client.callSkippingNotifications(subscribeMany(4, "new", 2))).contains("\"result\":[1,1]");
    assertThat(hub.pluginStats().subscriptions()).isEqualTo(5);
  }

  @Test
  void aPluginWhoseMemoryGuardIsClosedAnswersZeroForNewPairsAndStoresNothing(Vertx vertx) {
    FakeHeap heap = FakeHeap.attachTo(vertx);
    InlineHub.deployPluginOnly(vertx);
    assertThat(PluginProbe.subscribe(vertx, "fake", "hub-1.c1", List.of("held"))).singleElement().isEqualTo(new int[] {1});
    heap.set(90, 85);
    assertThat(PluginProbe.subscribe(vertx, "fake", "hub-1.c1", List.of("held", "new", "other")))
      .as("a held pair answers as before; new ones 0, the client subscribes again later").singleElement().isEqualTo(new int[] {1, 0, 0});
    assertThat(PluginProbe.total(vertx, "fake").subscriptions()).isEqualTo(1);
    assertThat(Metrics.of(vertx).scrape()).contains("change_memory_guard_refused_total 2.0").contains("change_memory_guard_active 1.0");
  }

  @Test
  void aPluginRestartedWhileItsJvmsGuardIsClosedAdmitsNoReplayAndItsClientsAreToldToSubscribeAgain(Vertx vertx) {
    FakeHeap heap = FakeHeap.attachTo(vertx);
    hub = InlineHub.deploy(vertx, new JsonObject());
    WsTestClient client = hub.connect();
    assertThat(client.call(subscribeMany(1, "r", 2))).contains("\"result\":[1,1]");
    heap.set(90, 85);
    // The load that filled a JVM must not refill its successor: the replay is refused like any new subscription, and
    // each client hears subLost (subscribe again later) instead of believing it is watched.
    hub.restartPlugin();
    List<String> lost = new ArrayList<>();
    while (lost.size() < 2) {
      String message = client.next(Duration.ofSeconds(20));
      if (message.contains("subLost")) {
        lost.add(message);
      }
    }
    assertThat(lost).containsExactlyInAnyOrder(
      "{\"jsonrpc\":\"2.0\",\"method\":\"subLost\",\"params\":[\"fake\",\"r0\",null]}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"subLost\",\"params\":[\"fake\",\"r1\",null]}");
    assertThat(Metrics.of(vertx).scrape()).contains("change_sublost_count_total{pluginId=\"fake\"} 2.0");
    assertThat(hub.pluginStats().subscriptions()).isZero();
    heap.set(60, 60);
    assertThat(client.callSkippingNotifications(subscribeMany(2, "r", 2))).contains("\"result\":[1,1]");
  }

  @Test
  void connectionsPerClientAddressAreCappedAndForwardedForIsBelievedOnlyFromTrustedProxies(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxConnectionsPerIp", 2)));
    WsTestClient first = connectFrom("10.0.0.1");
    connectFrom("10.0.0.2");
    WsTestClient third = connectFrom("10.0.0.3");
    assertThat(third.awaitClosed(Duration.ofSeconds(5))).as("the header is ignored from an untrusted peer").isTrue();
    assertThat(third.closeStatus()).isEqualTo((short) 1008);
    assertThat(closes().getLong("connectionBudget")).isEqualTo(1);
    first.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.hubStats().connections() == 1);
    WsTestClient again = hub.connect();
    assertThat(again.call(subscribe(1, "room-again"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}");
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnLimit(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("maxConnectionsPerIp", 1)).put("trustedProxies", new JsonArray().add("127.0.0.1")));
    List<WsTestClient> clients = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      clients.add(hub.connect(Map.of("X-Forwarded-For", "203.0.113." + i + ", 127.0.0.1")));
    }
    for (WsTestClient client : clients) {
      assertThat(client.call(subscribe(7, "p"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":7}");
    }
    WsTestClient sameClient = connectFrom("203.0.113.1");
    assertThat(sameClient.awaitClosed(Duration.ofSeconds(5))).isTrue();
    assertThat(sameClient.closeStatus()).isEqualTo((short) 1008);
  }

  @Test
  void messagesOverTheRateGetErrorOneAndAFloodIsClosed(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("messagesPerSecond", 1).put("messageBurst", 5)));
    WsTestClient client = hub.connect();
    for (int i = 0; i < 5; i++) {
      client.send(subscribe(i, "r" + i));
    }
    client.send(subscribe(5, "r5"));
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(client.next(Duration.ofSeconds(10)));
    }
    assertThat(replies).contains("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"Rate limit exceeded: at most 1 messages per second\"},\"id\":5}");
    assertThat(replies.stream().filter(reply -> reply.contains("\"result\":[1]"))).hasSize(5);
    try {
      for (int i = 6; i < 20; i++) {
        client.send(subscribe(i, "flood"));
      }
    } catch (AssertionError closedMidFlood) {
      // The server may close the socket before the loop ends.
    }
    assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
    assertThat(client.closeStatus()).isEqualTo((short) 1008);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.pluginStats().connections() == 0);
    assertThat(closes().getLong("rate")).isEqualTo(1);
  }

  @Test
  void aSocketThatAnswersNoPingIsClosedAndItsSubscriptionsReleased(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("pingIntervalMs", 300)));
    WsTestClient alive = hub.connect();
    alive.call(subscribe(1, "alive"));
    try (RawWebSocket silent = RawWebSocket.connect(hub.port())) {
      silent.sendText(subscribe(1, "silent"));
      await().atMost(Duration.ofSeconds(5)).until(() -> hub.pluginStats().connections() == 2);
      await().atMost(Duration.ofSeconds(5)).until(() -> hub.pluginStats().connections() == 1);
    }
    assertThat(alive.next(Duration.ofSeconds(5))).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"alive\",null]}");
    assertThat(alive.call(subscribe(2, "still"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");
    assertThat(closes().getLong("idle")).isEqualTo(1);
  }

  @Test
  void aClientThatStopsReadingUnderTenThousandUpdatesIsClosedWhileOthersStayFast(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, limits(new JsonObject().put("writeQueueBytes", 64 * 1024).put("slowConsumerMs", 1000)));
    WsTestClient other = hub.connect();
    long idleNanos = medianCallNanos(other, 0);

    long loadedNanos;
    try (RawWebSocket slow = RawWebSocket.connect(hub.port())) {
      String padding = "p".repeat(1000);
      for (int call = 0; call < 5; call++) {
        JsonArray params = new JsonArray();
        for (int i = 0; i < 2000; i++) {
          params.add(new JsonArray().add("fake").add(padding + "-" + call + "-" + i));
        }
        slow.sendText(new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", call).encode());
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> hub.pluginStats().subscriptions() == 10_000);
      loadedNanos = medianCallNanos(other, 100);
      // About 10 MB of updates aimed at a socket that reads nothing: dropped once its queue has stayed full for 1 s.
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.pluginStats().connections() == 0);
      assertThat(hub.hubStats().connections()).isEqualTo(1);
      assertThat(closes().getLong("slowConsumer")).isEqualTo(1);
    }
    System.out.printf("call latency p50: idle %d us, while a slow consumer is flooded %d us%n", idleNanos / 1000, loadedNanos / 1000);
    assertThat(loadedNanos).isLessThan(Math.max(10 * idleNanos, idleNanos + 200_000_000L));
  }

  /** Median round trip of 21 unsubscribe calls (answered by the hub alone) on {@code client}. */
  private static long medianCallNanos(WsTestClient client, int firstId) {
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      long start = System.nanoTime();
      client.call("{\"jsonrpc\":\"2.0\",\"method\":\"unsubscribe\",\"params\":[[\"fake\",\"none\"]],\"id\":" + (firstId + i) + "}");
      samples.add(System.nanoTime() - start);
    }
    samples.sort(Long::compare);
    return samples.get(samples.size() / 2);
  }

  /** Sockets closed by the hub (and by clients), by reason, as {@code change_close_count_total} counts them. */
  private JsonObject closes() {
    return hub.hubStats().toJson().getJsonObject("closes");
  }

  /** A socket whose client address is {@code clientAddress}, as the trusted proxy on loopback forwards it. */
  private WsTestClient connectFrom(String clientAddress) {
    return hub.connect(Map.of("X-Forwarded-For", clientAddress));
  }

  private static JsonObject limits(JsonObject limits) {
    return new JsonObject().put("limits", limits);
  }

  private static String subscribe(int id, String address) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"" + address + "\"]],\"id\":" + id + "}";
  }

  private static String subscribeMany(int id, String prefix, int count) {
    return subscribeMany(id, "fake", prefix, count, null);
  }

  private static String subscribeMany(int id, String pluginId, String prefix, int count, String checkpoint) {
    JsonArray params = new JsonArray();
    for (int i = 0; i < count; i++) {
      JsonArray tuple = new JsonArray().add(pluginId).add(prefix + i);
      params.add(checkpoint == null ? tuple : tuple.add(checkpoint));
    }
    return new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", id).encode();
  }
}
