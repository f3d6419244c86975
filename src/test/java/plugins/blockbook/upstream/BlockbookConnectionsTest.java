package plugins.blockbook.upstream;

import support.Backoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
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
 * unknown methods never answered, non-string ids and binary frames closing the connection, the address limit, and
 * the 42-descriptor limit that scan connections rotate before.
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
  void withoutRotationTheDoubleClosesAtTheFortySecondDescriptor() {
    ScanConnections scans = new ScanConnections(connector, new Backoff(100, 1_000, true), 100, "test/scans");
    List<Boolean> succeeded = join(onContext(() -> {
      List<Future<Boolean>> outcomes = accountInfos(scans, 50).stream().map(f -> f.map(true).otherwise(false)).toList();
      return Future.all(outcomes).map(all -> all.<Boolean>list());
    }));
    assertThat(succeeded.stream().filter(ok -> !ok).count()).isGreaterThanOrEqualTo(9);
    onContext(scans::stop);
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
