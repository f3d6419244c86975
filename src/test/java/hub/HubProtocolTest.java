package hub;

import api.PluginStats;
import api.plugin.ChainStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.InlineHub;
import testkit.WsTestClient;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hub and the fake plugin in one JVM, driven by a real WebSocket client; every assertion is on exact wire text. */
@ExtendWith(VertxExtension.class)
class HubProtocolTest {

  private static final Duration UPDATE_WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(2_000);

  private InlineHub hub;

  @BeforeEach
  void deploy(Vertx vertx) {
    hub = InlineHub.deploy(vertx, new JsonObject());
  }

  @AfterEach
  void closeClients() {
    hub.close();
  }

  @Test
  void subscribeAnswersOneThenUpdateArrivesAboutASecondLater() {
    WsTestClient client = connect();
    long sent = System.nanoTime();
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"abc\",\"100\"]],\"id\":0}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");
    assertThat(client.next(UPDATE_WAIT)).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"abc\",null]}");
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    client.expectNothing(QUIET);
  }

  @Test
  void unknownPluginAnswersMinusOne() {
    WsTestClient client = connect();
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"nochain\",\"x\"]],\"id\":\"a\"}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[-1],\"id\":\"a\"}");
    client.expectNothing(QUIET);
  }

  @Test
  void pluginIdsNobodyServesLeaveNothingBehind() {
    WsTestClient client = connect();
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"junk-1\",\"a\"],[\"junk-2\",\"b\"],[\"fake\",\"c\"]],\"id\":1}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[-1,-1,1],\"id\":1}");
    assertThat(hub.hubStats().pluginIds()).containsExactly("fake");
  }

  @Test
  void mixedTuplesKeepTheClientsOrder() {
    WsTestClient client = connect();
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":"
      + "[[\"nochain\",\"x\"],[\"fake\",\"a1\",null],[\"fake\",\"\"],[\"other\",\"y\",\"5\"],[\"fake\",\"a2\",\"7\"]],\"id\":3}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[-1,1,0,-1,1],\"id\":3}");
    assertThat(List.of(client.next(UPDATE_WAIT), client.next(UPDATE_WAIT))).containsExactlyInAnyOrder(
      "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"a1\",null]}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"a2\",null]}");
    assertThat(stats()).isEqualTo(new PluginStats("fake", 2, 2, 1, ChainStatus.NO_UPSTREAM));
  }

  @Test
  void subscribingTwiceIsIdempotent() {
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, "twice"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}");
    assertThat(client.call(subscribe(2, "twice"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");
    assertThat(stats()).isEqualTo(new PluginStats("fake", 1, 1, 1, ChainStatus.NO_UPSTREAM));
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update("twice"));
    client.expectNothing(QUIET);
  }

  @Test
  void resubscribeAfterTheUpdateFiredBringsNoSecondUpdate() {
    WsTestClient client = connect();
    client.call(subscribe(1, "once"));
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update("once"));
    assertThat(client.call(subscribe(2, "once"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");
    client.expectNothing(QUIET);
  }

  @Test
  void twoSocketsOnOneAddressBothGetTheUpdate() {
    WsTestClient first = connect();
    WsTestClient second = connect();
    first.call(subscribe(1, "shared"));
    second.call(subscribe(1, "shared"));
    assertThat(stats()).isEqualTo(new PluginStats("fake", 1, 2, 2, ChainStatus.NO_UPSTREAM));
    assertThat(first.next(UPDATE_WAIT)).isEqualTo(update("shared"));
    assertThat(second.next(UPDATE_WAIT)).isEqualTo(update("shared"));
  }

  @Test
  void unsubscribeBeforeTheTimerMeansNoUpdate() {
    WsTestClient client = connect();
    client.call(subscribe(1, "gone"));
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"unsubscribe\",\"params\":[[\"fake\",\"gone\"]],\"id\":2}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2}");
    assertThat(stats()).isEqualTo(new PluginStats("fake", 0, 0, 0, ChainStatus.NO_UPSTREAM));
    client.expectNothing(QUIET);
  }

  @Test
  void aWatchEndedByUnsubscribeStartsFreshOnTheNextSubscribe() {
    WsTestClient client = connect();
    client.call(subscribe(1, "again"));
    client.call("{\"jsonrpc\":\"2.0\",\"method\":\"unsubscribe\",\"params\":[[\"fake\",\"again\"]],\"id\":2}");
    client.call(subscribe(3, "again"));
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update("again"));
    client.expectNothing(QUIET);
  }

  @Test
  void unsubscribeOfSomethingNeverSubscribedSucceeds() {
    WsTestClient client = connect();
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"unsubscribe\",\"params\":[[\"fake\",\"never\"],[\"nochain\",\"x\",\"9\"]],\"id\":9}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":9}");
  }

  @Test
  void closingOneSocketDoesNotDisturbAnother() {
    WsTestClient leaving = connect();
    WsTestClient staying = connect();
    leaving.call(subscribe(1, "shared"));
    staying.call(subscribe(1, "shared"));
    leaving.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> stats().connections() == 1);
    assertThat(staying.next(UPDATE_WAIT)).isEqualTo(update("shared"));
    assertThat(staying.call(subscribe(2, "later"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");
    assertThat(staying.next(UPDATE_WAIT)).isEqualTo(update("later"));
  }

  @Test
  void closeLeavesNoSubscriptionInThePlugin() {
    WsTestClient client = connect();
    client.call(subscribe(1, "x1"));
    client.call(subscribe(2, "x2"));
    assertThat(stats()).isEqualTo(new PluginStats("fake", 2, 2, 1, ChainStatus.NO_UPSTREAM));
    client.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> stats().equals(new PluginStats("fake", 0, 0, 0, ChainStatus.NO_UPSTREAM)));
  }

  @Test
  void fiveThousandTuplesInOneCallGetFiveThousandResults() {
    WsTestClient client = connect();
    JsonArray params = new JsonArray();
    for (int i = 0; i < 5_000; i++) {
      params.add(new JsonArray().add(i % 1000 == 999 ? "nochain" : "fake").add("addr" + i).add(String.valueOf(i)));
    }
    String reply = client.call(new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", 77).encode());
    JsonArray results = new JsonObject(reply).getJsonArray("result");
    assertThat(results.size()).isEqualTo(5_000);
    for (int i = 0; i < 5_000; i++) {
      assertThat(results.getInteger(i)).as("result %d", i).isEqualTo(i % 1000 == 999 ? -1 : 1);
    }
    assertThat(stats()).isEqualTo(new PluginStats("fake", 4_995, 4_995, 1, ChainStatus.NO_UPSTREAM));
  }

  @Test
  void protocolErrorsOnALiveSocketEchoTheIdAndKeepTheSocketServing() {
    WsTestClient client = connect();
    assertThat(client.call("{not json")).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
    assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[],\"id\":4}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found: update\"},\"id\":4}");
    assertThat(client.call("[]")).startsWith("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid JSON-RPC request");
    assertThat(client.call(subscribe(5, "still-serving"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":5}");
  }

  @Test
  void binaryFrameHoldingJsonIsAccepted() {
    WsTestClient client = connect();
    client.sendBinary(subscribe(6, "binary").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(client.next(Duration.ofSeconds(10))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":6}");
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update("binary"));
  }

  private WsTestClient connect() {
    return hub.connect();
  }

  private PluginStats stats() {
    return hub.pluginStats();
  }

  private static String subscribe(int id, String address) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"" + address + "\"]],\"id\":" + id + "}";
  }

  private static String update(String address) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"" + address + "\",null]}";
  }
}
