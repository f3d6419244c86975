package plugins.blockbook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import ops.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import testkit.FreePorts;
import testkit.WsTestClient;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static testkit.PrometheusText.sample;

/**
 * The hub and the Blockbook plugin in one Vert.x, a real WebSocket client, and the Blockbook double fed by a real
 * {@code litecoind -regtest}: every payment here is a real transaction in a real block.
 */
class BlockbookPluginTest extends LitecoinHarness {

  private static final Duration QUIET = Duration.ofMillis(1_500);

  @ParameterizedTest(name = "newBlockTxs={0}")
  @ValueSource(booleans = {true, false})
  void aPaymentIsReportedFromTheMempoolThenAtItsHeightAndScansSeeIt(boolean newBlockTxs) {
    deploy(litecoin().put("newBlockTxs", newBlockTxs));
    WsTestClient client = connect();
    long tip = node.blockCount();
    String address = node.getNewAddress("bech32");
    assertThat(client.call(subscribe(1, address, tip))).isEqualTo(result(1, 1));

    node.sendToAddress(address, "1.25");
    assertThat(client.next(WAIT)).isEqualTo(update(address, null));
    assertThat(connect().call(subscribe(2, address, tip))).as("mempool activity after the checkpoint").isEqualTo(result(2, 2));

    long mined = node.mine(1);
    assertThat(client.next(WAIT)).isEqualTo(update(address, mined));
    client.expectNothing(QUIET);

    WsTestClient scanner = connect();
    assertThat(scanner.call(subscribe(3, address, mined - 1))).as("paid in the block after the checkpoint").isEqualTo(result(3, 2));
    assertThat(scanner.call(subscribe(4, address, mined))).as("nothing after the block that paid").isEqualTo(result(4, 1));
    assertThat(scanner.call(subscribe(5, address, null))).as("no checkpoint").isEqualTo(result(5, 2));
  }

  @Test
  void paymentWhileTheUpstreamRestartsIsReportedAfterRecoveryWithoutSubLost() {
    deploy(litecoin());
    WsTestClient client = connect();
    String address = node.getNewAddress("bech32");
    assertThat(client.call(subscribe(1, address, node.blockCount()))).isEqualTo(result(1, 1));

    upstream.stop();
    node.sendToAddress(address, "0.5");
    long mined = node.mine(1);
    client.expectNothing(QUIET);
    upstream.start();

    assertThat(client.next(WAIT)).as("gap activity, found by the scan after reconnecting").isEqualTo(update(address, mined));
    await().atMost(WAIT).until(() -> upstream.addressSets().values().stream().anyMatch(set -> set.contains(address)));
    node.sendToAddress(address, "0.25");
    assertThat(client.next(WAIT)).as("still watched after recovery").isEqualTo(update(address, null));
  }

  @Test
  void anUpstreamDownPastLostAfterMsEndsInSubLost() {
    deploy(litecoin().put("lostAfterMs", 1_000));
    WsTestClient client = connect();
    String address = node.getNewAddress("legacy");
    assertThat(client.call(subscribe(1, address, node.blockCount()))).isEqualTo(result(1, 1));
    upstream.stop();
    try {
      assertThat(client.next(WAIT)).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"subLost\",\"params\":[\"litecoin\",\"" + address + "\",null]}");
    } finally {
      upstream.start();
    }
  }

  @Test
  void statsAndMetricsFollowTheTipAndTheBlockConnection() {
    deploy(litecoin());
    long tip = node.blockCount();
    await().atMost(WAIT).until(() -> status().upstreamUp() && status().headHeight() == tip);
    long mined = node.mine(1);
    await().atMost(WAIT).until(() -> status().headHeight() == mined && status().processedHeight() == mined);
    String metrics = Metrics.of(vertx).scrape();
    assertThat(sample(metrics, "change_chain_head_height{pluginId=\"litecoin\"}")).isEqualTo(mined);
    assertThat(sample(metrics, "change_chain_lag_blocks{pluginId=\"litecoin\"}")).isZero();
    assertThat(sample(metrics, "change_upstream_up{pluginId=\"litecoin\"}")).isEqualTo(1);
    long errorsBefore = status().upstreamErrors();

    upstream.stop();
    try {
      await().atMost(WAIT).until(() -> !status().upstreamUp());
      assertThat(status().upstreamErrors()).as("the dropped block connection").isGreaterThan(errorsBefore);
      assertThat(sample(Metrics.of(vertx).scrape(), "change_upstream_up{pluginId=\"litecoin\"}")).isZero();
    } finally {
      upstream.start();
    }

    await().atMost(WAIT).until(() -> status().upstreamUp());
    assertThat(status().reconnects()).isPositive();
    assertThat(sample(Metrics.of(vertx).scrape(), "change_upstream_reconnects_total{pluginId=\"litecoin\"}")).isPositive();
  }

  @Test
  void twoAndAHalfThousandAddressesAreSpreadOverConnectionsWithinTheLimit() {
    deploy(litecoin().put("newBlockTxs", false).put("maxAddressesPerConnection", 1000));
    List<String> addresses = RegtestAddresses.p2pkh(2_500);
    WsTestClient client = connect();
    JsonArray params = new JsonArray();
    addresses.forEach(address -> params.add(tuple(address).addNull()));
    JsonArray results = new JsonObject(client.call(call("subscribe", 1, params))).getJsonArray("result");
    assertThat(results.stream().distinct().toList()).containsExactly(2);

    await().atMost(WAIT).untilAsserted(() -> {
      Collection<Set<String>> sets = upstream.addressSets().values();
      assertThat(sets.stream().map(Set::size).sorted().toList()).containsExactly(500, 1000, 1000);
      Set<String> union = new HashSet<>();
      sets.forEach(union::addAll);
      assertThat(union).containsExactlyInAnyOrderElementsOf(addresses);
    });

    assertThat(upstream.blockSubscribers()).as("one subscribeNewBlock connection per chain").isEqualTo(1);

    String last = addresses.get(addresses.size() - 1);
    node.sendToAddress(last, "0.1");
    assertThat(client.next(WAIT)).isEqualTo(update(last, null));
  }

  @Test
  void unsubscribingSomeAddressesLeavesTheOthersWatchedOnTheSameConnection() {
    deploy(litecoin());
    WsTestClient client = connect();
    List<String> addresses = List.of(node.getNewAddress("bech32"), node.getNewAddress("p2sh-segwit"), node.getNewAddress("legacy"));
    long tip = node.blockCount();
    JsonArray params = new JsonArray();
    addresses.forEach(address -> params.add(tuple(address).add(Long.toString(tip))));
    assertThat(client.call(call("subscribe", 1, params))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,1,1],\"id\":1}");
    await().atMost(WAIT).until(() -> upstream.addressSets().values().stream().anyMatch(set -> set.equals(Set.copyOf(addresses))));
    int connection = upstream.addressSets().keySet().iterator().next();
    int unsubscribeCalls = upstream.unsubscribeAddressesCalls();

    JsonArray gone = new JsonArray().add(tuple(addresses.get(0))).add(tuple(addresses.get(1)));
    assertThat(client.call(call("unsubscribe", 2, gone))).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2}");
    await().atMost(WAIT).until(() -> upstream.addressSets().equals(Map.of(connection, Set.of(addresses.get(2)))));

    node.sendToAddress(addresses.get(0), "0.1");
    node.sendToAddress(addresses.get(2), "0.1");
    assertThat(client.next(WAIT)).isEqualTo(update(addresses.get(2), null));
    client.expectNothing(QUIET);
    assertThat(upstream.unsubscribeAddressesCalls()).as("the rest re-sent with subscribeAddresses").isEqualTo(unsubscribeCalls);

    JsonArray last = new JsonArray().add(tuple(addresses.get(2)));
    assertThat(client.call(call("unsubscribe", 3, last))).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3}");
    await().atMost(WAIT).until(() -> upstream.unsubscribeAddressesCalls() == unsubscribeCalls + 1);
    assertThat(upstream.addressSets()).as("emptied with unsubscribeAddresses, never an empty list").isEmpty();
  }

  @Test
  void withoutAnUpstreamAddressesAreStillValidatedAndAnsweredTwo() {
    deploy(litecoin().put("urls", new JsonArray().add("ws://127.0.0.1:" + FreePorts.next() + "/websocket")));
    WsTestClient client = connect();
    String valid = node.getNewAddress("bech32");
    String brokenChecksum = valid.substring(0, valid.length() - 1) + (valid.endsWith("q") ? "p" : "q");
    JsonArray params = new JsonArray()
      .add(tuple(valid).add("100"))
      .add(tuple("ltc1qwppupnh0rd384f9ytxvh9l5qj6ch6ugnlmvzcl").add("100"))
      .add(tuple(brokenChecksum).add("100"));
    assertThat(client.call(call("subscribe", 1, params))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[2,0,0],\"id\":1}");
  }
}
