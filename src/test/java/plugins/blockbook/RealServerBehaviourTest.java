package plugins.blockbook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import testkit.WsTestClient;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What real Blockbook servers do that the plugin must survive (issue 16), each seen through the hub as a wallet sees
 * it: old servers that ignore {@code newBlockTxs}, confirmations dropped by a loaded server, addresses the server's
 * parser refuses (failing the whole subscribeAddresses call), {@code work_limit}, Litecoin's canonical P2SH names,
 * notifications over 4 MiB, and {@code getTransaction}'s "not found" on a transient backend failure. Same set-up as
 * {@link BlockbookPluginTest}: the hub and the plugin in one Vert.x, the Blockbook double fed by a real
 * {@code litecoind -regtest}, its switches put back after every test.
 */
class RealServerBehaviourTest extends LitecoinHarness {


  /** A server older than 0.6.0 accepts {@code newBlockTxs} silently and never notifies a confirmation. */
  @Test
  void onAServerOlderThanSixTheConfirmationIsStillReportedAtItsHeight() {
    upstream.serverVersion("0.5.0");
    paymentIsReportedFromTheMempoolThenAtItsHeight("the confirmation, which a 0.5.0 server does not notify");
  }

  /** v0.6.0's confirmed-tx notifications are best effort: under load they are dropped, the mempool one still comes. */
  @Test
  void aConfirmationWhoseNotificationTheServerDropsIsStillReportedAtItsHeight() {
    upstream.dropConfirmedNotifications(true);
    paymentIsReportedFromTheMempoolThenAtItsHeight("the confirmation, its notification dropped by the server");
  }

  /** v0.6.0 names the address its parser refuses: that one answers 0, the others of the same call are watched. */
  @Test
  void anAddressTheServerRefusesAnswersZeroAndTheOthersOfTheCallAreWatched() {
    refusedAddressAnswersZeroAndTheOthersAreWatched();
  }

  /** Older servers give the parser's bare error, naming no address: the plugin has to find the culprit itself. */
  @Test
  void onAServerOlderThanSixTheRefusedAddressIsFoundWithoutBeingNamed() {
    upstream.serverVersion("0.5.0");
    refusedAddressAnswersZeroAndTheOthersAreWatched();
  }

  /** A refused call leaves the previous set in force: the address already watched stays watched. */
  @Test
  void anAddressRefusedOnAConnectionAlreadyWatchingAnotherAnswersZeroAndTheOtherStaysWatched() {
    deploy(litecoin());
    WsTestClient client = connect();
    String watched = node.getNewAddress("bech32");
    String refused = node.getNewAddress("legacy");
    upstream.rejectAddress(refused);
    long tip = node.blockCount();
    assertThat(client.call(subscribe(1, watched, tip))).isEqualTo(result(1, 1));

    assertThat(client.call(subscribe(2, refused, tip))).as("refused by the server's parser").isEqualTo(result(2, 0));
    node.sendToAddress(watched, "0.1");
    assertThat(client.next(WAIT)).isEqualTo(update(watched, null));
  }

  /**
   * A server that refuses an address it used to accept (the plugin reconnected to one that parses addresses otherwise):
   * the wallet was told it is watched, so it is told to subscribe again, then answered 0; the other stays watched.
   */
  @Test
  void anAddressRefusedAfterAReconnectIsReportedLostAndTheOtherStaysWatched() {
    deploy(litecoin());
    WsTestClient client = connect();
    String kept = node.getNewAddress("bech32");
    String refusedLater = node.getNewAddress("legacy");
    long tip = node.blockCount();
    assertThat(client.call(subscribe(1, kept, tip))).isEqualTo(result(1, 1));
    assertThat(client.call(subscribe(2, refusedLater, tip))).isEqualTo(result(2, 1));

    upstream.rejectAddress(refusedLater);
    upstream.stop();
    upstream.start();
    assertThat(client.next(WAIT)).as("told to subscribe again").isEqualTo(
      "{\"jsonrpc\":\"2.0\",\"method\":\"subLost\",\"params\":[\"litecoin\",\"" + refusedLater + "\",null]}");
    assertThat(client.call(subscribe(3, refusedLater, tip))).as("refused by the server now").isEqualTo(result(3, 0));
    node.sendToAddress(kept, "0.1");
    assertThat(client.next(WAIT)).isEqualTo(update(kept, null));
    assertThat(upstream.addressSets().values()).allSatisfy(set -> assertThat(set).doesNotContain(refusedLater));
  }

  /** {@code work_limit} refuses a subscribeAddresses without applying it; the first set of a connection is retried. */
  @Test
  void anAddressWhoseFirstSubscribesHitTheWorkLimitEndsUpWatched() {
    upstream.workLimit("subscribeAddresses", 2);
    deploy(litecoin());
    WsTestClient client = connect();
    String address = node.getNewAddress("bech32");
    assertThat(client.call(subscribe(1, address, node.blockCount()))).as("no activity after the checkpoint").isEqualTo(result(1, 1));

    node.sendToAddress(address, "0.1");
    assertThat(client.next(WAIT)).isEqualTo(update(address, null));
  }

  /** The same on a connection already up: the new set is retried, not given up until the next change. */
  @Test
  void anAddressAddedWhileTheServerAnswersWorkLimitEndsUpWatched() {
    deploy(litecoin());
    WsTestClient client = connect();
    String first = node.getNewAddress("bech32");
    String added = node.getNewAddress("bech32");
    long tip = node.blockCount();
    assertThat(client.call(subscribe(1, first, tip))).isEqualTo(result(1, 1));

    upstream.workLimit("subscribeAddresses", 2);
    assertThat(client.call(subscribe(2, added, tip))).as("no activity after the checkpoint").isEqualTo(result(2, 1));
    node.sendToAddress(added, "0.1");
    assertThat(client.next(WAIT)).isEqualTo(update(added, null));
  }

  /** Litecoin's parser takes a Bitcoin-style P2SH ({@code 2…}) but names it {@code Q…} in notifications. */
  @Test
  void aWalletSubscribedWithABitcoinStyleP2shAddressIsNotifiedWithThatAddress() {
    deploy(litecoin());
    WsTestClient client = connect();
    String litecoinForm = node.getNewAddress("p2sh-segwit");
    String bitcoinStyle = upstream.parser().bitcoinStyleP2sh(litecoinForm);
    assertThat(litecoinForm).startsWith("Q");
    assertThat(bitcoinStyle).startsWith("2");
    assertThat(client.call(subscribe(1, bitcoinStyle, node.blockCount()))).isEqualTo(result(1, 1));

    node.sendToAddress(litecoinForm, "0.3");
    assertThat(client.next(WAIT)).as("notified upstream as " + litecoinForm).isEqualTo(update(bitcoinStyle, null));
    long mined = node.mine(1);
    assertThat(client.next(WAIT)).isEqualTo(update(bitcoinStyle, mined));
  }

  /** Blockbook caps what it receives at 4 MiB, not what it sends: a big transaction's notification is bigger. */
  @Test
  void aNotificationOverFourMebibytesKeepsTheConnectionAndIsReported() {
    upstream.inflateNotifications(5 * 1024 * 1024);
    deploy(litecoin());
    WsTestClient client = connect();
    String address = node.getNewAddress("bech32");
    assertThat(client.call(subscribe(1, address, node.blockCount()))).isEqualTo(result(1, 1));
    long errors = status().upstreamErrors();

    node.sendToAddress(address, "0.1");
    assertThat(client.next(WAIT)).isEqualTo(update(address, null));
    assertThat(status().upstreamErrors()).as("no upstream connection dropped by the 5 MiB notification").isEqualTo(errors);
    long mined = node.mine(1);
    assertThat(client.next(WAIT)).isEqualTo(update(address, mined));
    assertThat(status().upstreamErrors()).as("no upstream connection dropped by the 5 MiB notification").isEqualTo(errors);
  }

  /** "Transaction '…' not found (txid …: cause)" is a backend failure, not a tx gone from the mempool. */
  @Test
  void aPendingTxAnsweredNotFoundByATransientFailureIsReportedWhenMined() {
    deploy(litecoin().put("newBlockTxs", false));
    WsTestClient client = connect();
    String address = node.getNewAddress("bech32");
    assertThat(client.call(subscribe(1, address, node.blockCount()))).isEqualTo(result(1, 1));
    String txid = node.sendToAddress(address, "0.1");
    assertThat(client.next(WAIT)).isEqualTo(update(address, null));

    upstream.transientNotFound(txid, 1);
    int asked = upstream.requestCount("getTransaction");
    // A block without the tx: the plugin asks about it and gets the transient "not found".
    node.rpc("generateblock", node.getNewAddress("bech32"), new JsonArray());
    await().atMost(WAIT).until(() -> upstream.requestCount("getTransaction") > asked);

    long mined = node.mine(1);
    assertThat(client.next(WAIT)).as("still pending after the transient failure").isEqualTo(update(address, mined));
  }

  private void paymentIsReportedFromTheMempoolThenAtItsHeight(String confirmation) {
    deploy(litecoin());
    WsTestClient client = connect();
    String address = node.getNewAddress("bech32");
    assertThat(client.call(subscribe(1, address, node.blockCount()))).isEqualTo(result(1, 1));

    node.sendToAddress(address, "0.5");
    assertThat(client.next(WAIT)).isEqualTo(update(address, null));
    long mined = node.mine(1);
    assertThat(client.next(WAIT)).as(confirmation).isEqualTo(update(address, mined));
  }

  /** One call subscribing A, X (refused by the server's parser) and B on one upstream connection. */
  private void refusedAddressAnswersZeroAndTheOthersAreWatched() {
    deploy(litecoin());
    WsTestClient client = connect();
    String first = node.getNewAddress("bech32");
    String refused = node.getNewAddress("legacy");
    String last = node.getNewAddress("p2sh-segwit");
    upstream.rejectAddress(refused);
    long tip = node.blockCount();
    JsonArray params = new JsonArray();
    List.of(first, refused, last).forEach(address -> params.add(tuple(address).add(Long.toString(tip))));
    assertThat(client.call(call("subscribe", 1, params))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,0,1],\"id\":1}");

    node.rpc("sendmany", "", new JsonObject().put(first, 0.1).put(last, 0.1));
    assertThat(next(client, 2)).containsExactlyInAnyOrder(update(first, null), update(last, null));
  }

  /** The next {@code count} messages, in whatever order they came. */
  private static Set<String> next(WsTestClient client, int count) {
    Set<String> messages = new HashSet<>();
    for (int i = 0; i < count; i++) {
      messages.add(client.next(WAIT));
    }
    return messages;
  }
}
