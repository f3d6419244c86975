package plugins.blockbook.upstream;

import support.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import testkit.FreePorts;
import testkit.LitecoindNode;
import testkit.blockbook.BlockbookDouble;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream client pieces against the Blockbook double, and the double's warts that the client must live with:
 * unknown methods never answered, non-string ids and binary frames closing the connection, the address limit, the
 * 42-descriptor limit that scan connections rotate before, and the real server's error texts (refused addresses,
 * {@code work_limit}, {@code getTransaction}'s two kinds of "not found").
 */
class BlockbookConnectionsTest {

  private static final SocketSettings SETTINGS = new SocketSettings(500, 50_000, 2_000, 600_000, 40);

  private static LitecoindNode node;
  private static Vertx vertx;
  private static BlockbookDouble upstream;
  private static WebSocketClient client;
  private static Connector connector;

  @BeforeAll
  static void start() throws Exception {
    node = LitecoindNode.start();
    node.mine(101);
    vertx = Vertx.vertx();
    upstream = new BlockbookDouble(vertx, node, FreePorts.next(), BlockbookDouble.Limits.v060());
    upstream.start();
    client = vertx.createWebSocketClient();
    connector = new Connector(vertx, client, List.of(new UpstreamUrl(upstream.url(), upstream.url())), SETTINGS, 64);
  }

  @AfterAll
  static void stop() {
    upstream.close();
    join(vertx.close());
    node.close();
  }

  @AfterEach
  void resetDouble() {
    upstream.reset();
  }

  @Test
  void anUnknownMethodTimesOutAndTheConnectionKeepsServing() {
    BlockbookSocket socket = join(onContext(() -> connector.open("test")));
    Throwable failure = joinFailure(onContext(() -> socket.request("getNothing", new JsonObject())));
    assertThat(failure).isInstanceOf(BlockbookException.class).hasMessage("getNothing timed out");
    assertThat(join(onContext(() -> socket.request("ping", new JsonObject())))).isEqualTo(new JsonObject());
    onContext(socket::close);
  }

  @Test
  void overTheAddressLimitTheServerAnswersItsErrorText() {
    BlockbookSocket socket = join(onContext(() -> connector.open("test")));
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 101; i++) {
      tooMany.add("mfWyW5fc9NUj75YAnFgoRLrjxgLDn2MMth" + i);
    }
    JsonObject params = new JsonObject().put("addresses", tooMany).put("newBlockTxs", true);
    Throwable failure = joinFailure(onContext(() -> socket.subscribe("subscribeAddresses", params, data -> { })));
    assertThat(failure).hasMessage("subscribeAddresses: addresses max 100");
  }

  @Test
  void scanConnectionsRotateBeforeTheDescriptorLimit() {
    int acceptedBefore = upstream.acceptedCount();
    ScanConnections scans = new ScanConnections(connector, new Backoff(100, 1_000, true), 40, "test/scans");
    List<JsonObject> replies = join(onContext(() -> Future.all(accountInfos(scans, 100)).map(all -> all.<JsonObject>list())));
    assertThat(replies).hasSize(100).allSatisfy(reply -> assertThat(reply.getInteger("txs")).isZero());
    assertThat(upstream.acceptedCount() - acceptedBefore).isEqualTo(3);
    onContext(scans::stop);
  }

  @Test
  void withoutRotationTheDoubleClosesAtTheFortyThirdDescriptor() {
    ScanConnections scans = new ScanConnections(connector, new Backoff(100, 1_000, true), 100, "test/scans");
    List<Boolean> succeeded = join(onContext(() -> {
      List<Future<Boolean>> outcomes = accountInfos(scans, 50).stream().map(f -> f.map(true).otherwise(false)).toList();
      return Future.all(outcomes).map(all -> all.<Boolean>list());
    }));
    // 42 distinct descriptors are served; the 43rd closes the connection, failing it and the 7 after it (and any
    // reply of the first 42 not yet sent).
    assertThat(succeeded.stream().filter(ok -> !ok).count()).isGreaterThanOrEqualTo(8);
    onContext(scans::stop);
  }

  @Test
  void theDoubleServesFortyTwoDescriptorsAndClosesAtTheFortyThird() {
    BlockbookSocket socket = join(onContext(() -> connector.open("test")));
    join(onContext(() -> {
      Future<Void> all = Future.succeededFuture();
      for (int i = 0; i < 42; i++) {
        JsonObject params = new JsonObject().put("descriptor", "descriptor" + i).put("details", "basic");
        all = all.compose(v -> socket.request("getAccountInfo", params).mapEmpty());
      }
      // A descriptor already used does not count.
      return all.compose(v -> socket.request("getAccountInfo", new JsonObject().put("descriptor", "descriptor0")));
    }));
    Throwable failure = joinFailure(onContext(() -> socket.request("getAccountInfo", new JsonObject().put("descriptor", "descriptor42"))));
    assertThat(failure).isInstanceOf(BlockbookException.class).hasMessage("connection closed");
  }

  @Test
  void getInfoHasBlockbooksShapeAndTheConfiguredVersion() {
    BlockbookSocket socket = join(onContext(() -> connector.open("test")));
    JsonObject info = join(onContext(() -> socket.request("getInfo", new JsonObject())));
    assertThat(info.fieldNames()).containsExactlyInAnyOrder("name", "shortcut", "network", "decimals", "version", "bestHeight", "bestHash",
      "block0Hash", "testnet", "backend");
    assertThat(info.getJsonObject("backend").fieldNames()).containsExactlyInAnyOrder("version", "subversion");
    assertThat(info.getString("version")).isEqualTo("0.6.0");
    upstream.serverVersion("0.5.0");
    assertThat(join(onContext(() -> socket.request("getInfo", new JsonObject()))).getString("version")).isEqualTo("0.5.0");
    onContext(socket::close);
  }

  @Test
  void anAddressTheParserRefusesFailsTheWholeCallAndThePreviousSetStays() {
    String kept = node.getNewAddress("bech32");
    String refused = node.getNewAddress("legacy");
    String badChecksum = kept.substring(0, kept.length() - 1) + (kept.endsWith("q") ? "p" : "q");
    String badBase58 = refused.substring(0, refused.length() - 1) + (refused.endsWith("z") ? "y" : "z");
    upstream.rejectAddress(refused);
    BlockbookSocket socket = join(onContext(() -> connector.open("test")));
    join(onContext(() -> socket.subscribe("subscribeAddresses", addresses(kept), data -> { })));
    int serial = upstream.addressSets().entrySet().stream().filter(e -> e.getValue().equals(java.util.Set.of(kept))).findFirst().orElseThrow().getKey();

    assertThat(joinFailure(onContext(() -> socket.subscribe("subscribeAddresses", addresses(kept, refused), data -> { }))))
      .hasMessage("subscribeAddresses: Invalid address \"" + refused + "\", checksum mismatch");
    assertThat(joinFailure(onContext(() -> socket.subscribe("subscribeAddresses", addresses(badBase58, refused), data -> { }))))
      .as("the first refused address fails the call").hasMessage("subscribeAddresses: Invalid address \"" + badBase58 + "\", checksum mismatch");
    assertThat(joinFailure(onContext(() -> socket.subscribe("subscribeAddresses", addresses(badChecksum), data -> { }))))
      .hasMessage("subscribeAddresses: Invalid address \"" + badChecksum + "\", invalid checksum");
    upstream.serverVersion("0.5.0");
    assertThat(joinFailure(onContext(() -> socket.subscribe("subscribeAddresses", addresses(kept, refused), data -> { }))))
      .as("older servers: the parser's bare error").hasMessage("subscribeAddresses: checksum mismatch");
    assertThat(upstream.addressSets().get(serial)).isEqualTo(java.util.Set.of(kept));
    onContext(socket::close);
  }

  @Test
  void workLimitRefusesTheNextCallsWithoutApplyingThem() {
    String address = node.getNewAddress("bech32");
    BlockbookSocket socket = join(onContext(() -> connector.open("test")));
    upstream.workLimit("subscribeAddresses", 1);
    assertThat(joinFailure(onContext(() -> socket.subscribe("subscribeAddresses", addresses(address), data -> { }))))
      .hasMessage("subscribeAddresses: work_limit");
    assertThat(upstream.addressSets().values()).noneMatch(set -> set.contains(address));
    join(onContext(() -> socket.subscribe("subscribeAddresses", addresses(address), data -> { })));
    assertThat(upstream.addressSets().values()).anyMatch(set -> set.contains(address));
    onContext(socket::close);
  }

  @Test
  void getTransactionTellsAnUnknownTxFromATransientFailureOnlyByItsSuffix() {
    String txid = "ab".repeat(32);
    BlockbookSocket socket = join(onContext(() -> connector.open("test")));
    JsonObject params = new JsonObject().put("txid", txid);
    assertThat(joinFailure(onContext(() -> socket.request("getTransaction", params))))
      .hasMessage("getTransaction: Transaction '" + txid + "' not found");
    upstream.transientNotFound(null, 1);
    assertThat(joinFailure(onContext(() -> socket.request("getTransaction", params))))
      .hasMessage("getTransaction: Transaction '" + txid + "' not found (txid " + txid + ": context deadline exceeded)");
    onContext(socket::close);
  }

  @Test
  void aBitcoinStyleP2shSubscriptionIsNotifiedInLitecoinForm() {
    String litecoinForm = node.getNewAddress("p2sh-segwit");
    String bitcoinStyle = upstream.parser().bitcoinStyleP2sh(litecoinForm);
    BlockbookSocket socket = join(onContext(() -> connector.open("test")));
    Promise<JsonObject> notified = Promise.promise();
    join(onContext(() -> socket.subscribe("subscribeAddresses", addresses(bitcoinStyle), notified::tryComplete)));
    node.sendToAddress(litecoinForm, "0.1");
    assertThat(join(notified.future()).getString("address")).isEqualTo(litecoinForm);
    onContext(socket::close);
  }

  @Test
  void whatTheDoubleSendsIsNotCappedAtFourMebibytes() {
    WebSocketClient roomy = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 * 1024 * 1024));
    Connector roomyConnector = new Connector(vertx, roomy, List.of(new UpstreamUrl(upstream.url(), upstream.url())), SETTINGS, 64);
    String address = node.getNewAddress("bech32");
    BlockbookSocket socket = join(onContext(() -> roomyConnector.open("test")));
    Promise<JsonObject> notified = Promise.promise();
    join(onContext(() -> socket.subscribe("subscribeAddresses", addresses(address), notified::tryComplete)));
    upstream.inflateNotifications(5 * 1024 * 1024);
    node.sendToAddress(address, "0.1");
    assertThat(join(notified.future()).getJsonObject("tx").getString("hex")).hasSize(5 * 1024 * 1024);
    onContext(socket::close);
    join(roomy.close());
  }

  @Test
  void aNumericIdClosesTheConnection() {
    WebSocket raw = rawConnection();
    Promise<Void> closed = Promise.promise();
    raw.closeHandler(v -> closed.tryComplete());
    raw.writeTextMessage("{\"id\":1,\"method\":\"ping\",\"params\":{}}");
    join(closed.future());
  }

  @Test
  void aBinaryFrameClosesTheConnection() {
    WebSocket raw = rawConnection();
    Promise<Void> closed = Promise.promise();
    raw.closeHandler(v -> closed.tryComplete());
    raw.writeBinaryMessage(Buffer.buffer("{\"id\":\"1\",\"method\":\"ping\",\"params\":{}}"));
    join(closed.future());
  }

  private static List<Future<JsonObject>> accountInfos(ScanConnections scans, int count) {
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      replies.add(scans.accountInfo(new JsonObject().put("descriptor", "descriptor" + i).put("details", "txids").put("pageSize", 1)));
    }
    return replies;
  }

  private static JsonObject addresses(String... addresses) {
    return new JsonObject().put("addresses", new JsonArray(List.of((Object[]) addresses))).put("newBlockTxs", true);
  }

  private static WebSocket rawConnection() {
    return join(client.connect(new WebSocketConnectOptions().setAbsoluteURI(upstream.url())));
  }

  /** Runs client code on an event-loop context, as the plugin does. */
  private static <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  private static void onContext(Runnable action) {
    join(onContext(() -> {
      action.run();
      return Future.<Void>succeededFuture();
    }));
  }

  private static Throwable joinFailure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
