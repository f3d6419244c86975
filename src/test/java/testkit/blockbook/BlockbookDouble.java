package testkit.blockbook;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import testkit.LitecoindNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Blockbook v0.6.0 WebSocket server double (CHAINS.md), fed by a real regtest litecoind through {@link NodeIndex}.
 * Reproduces the envelope and its warts: a non-string id, a binary frame or unparsable JSON closes the connection; an
 * unknown method gets no reply; replies are delayed by a random few milliseconds, so they come out of order;
 * {@code subscribeAddresses} replaces the connection's set (over the limit: error {@code addresses max N}) and its
 * notifications carry the id of the latest call; {@code unsubscribeAddresses} drops everything; confirmed
 * transactions are notified only with {@code newBlockTxs}; the 42nd distinct {@code getAccountInfo} descriptor and the
 * message budget close the connection. {@link #stop()} and {@link #start()} restart it on the same port, keeping its
 * index, like a Blockbook restart.
 */
public final class BlockbookDouble implements NodeIndex.Listener {

  /** Limits of the double, the real server's by default. */
  public record Limits(int maxAddresses, int maxAddressesNewBlockTxs, int maxDescriptors, int messageBudget, int maxReplyDelayMs) {
    public static Limits v060() {
      return new Limits(1000, 100, 42, 2500, 15);
    }
  }

  /** Blockbook's cap on one message. */
  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final String host;
  private final int port;
  private final Limits limits;
  private final NodeIndex index;
  private final Map<ServerWebSocket, DoubleConnection> connections = new ConcurrentHashMap<>();
  private final Random random = new Random(7);
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger unsubscribeAddressesCalls = new AtomicInteger();
  private HttpServer server;

  public BlockbookDouble(Vertx vertx, LitecoindNode node, int port, Limits limits) {
    this(vertx, node, "127.0.0.1", port, limits);
  }

  /** Serving on {@code host}: another host's plugin (a test host's bridge address) may connect. */
  public BlockbookDouble(Vertx vertx, LitecoindNode node, String host, int port, Limits limits) {
    this.vertx = vertx;
    this.host = host;
    this.context = vertx.getOrCreateContext();
    this.port = port;
    this.limits = limits;
    this.index = new NodeIndex(context, node, 100, this);
  }

  /** Indexes the node's chain (first start only) and serves {@code ws://host:port/websocket}. */
  public void start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      Future<Void> indexed = index.tip() < 0 ? index.start() : Future.succeededFuture();
      HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES);
      indexed.compose(x -> vertx.createHttpServer(options).webSocketHandler(this::accept).listen())
        .onSuccess(s -> server = s).<Void>mapEmpty().onComplete(started);
    });
    await(started.future());
  }

  /** Closes every connection and the listening socket, as a crashed or restarted server would. */
  public void stop() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      connections.keySet().forEach(ServerWebSocket::close);
      connections.clear();
      (server == null ? Future.<Void>succeededFuture() : server.close()).onComplete(stopped);
    });
    await(stopped.future());
  }

  /** Stops serving and following the node. */
  public void close() {
    stop();
    context.runOnContext(v -> index.stop());
  }

  public String url() {
    return "ws://" + host + ":" + port + "/websocket";
  }

  /** Open connections right now. */
  public int connectionCount() {
    return connections.size();
  }

  /** Connections accepted since creation (each reconnect and scan-connection rotation adds one). */
  public int acceptedCount() {
    return accepted.get();
  }

  /** The address set of every open connection that has one, by connection serial number (order of acceptance). */
  public Map<Integer, Set<String>> addressSets() {
    Map<Integer, Set<String>> sets = new TreeMap<>();
    connections.values().stream().filter(c -> !c.addresses.isEmpty()).forEach(c -> sets.put(c.serial, c.addresses));
    return sets;
  }

  /** {@code unsubscribeAddresses} calls received since creation (each drops a connection's whole set). */
  public int unsubscribeAddressesCalls() {
    return unsubscribeAddressesCalls.get();
  }

  /** Open connections subscribed to new blocks. */
  public long blockSubscribers() {
    return connections.values().stream().filter(c -> c.newBlockId != null).count();
  }

  @Override
  public void mempoolTx(IndexedTx tx) {
    JsonObject rendered = tx.toBlockbookJson(index.tip());
    for (DoubleConnection connection : connections.values()) {
      notifyAddresses(connection, tx, rendered);
    }
  }

  @Override
  public void blockConnected(long height, String hash, List<IndexedTx> txs) {
    for (DoubleConnection connection : connections.values()) {
      if (connection.newBlockTxs) {
        txs.forEach(tx -> notifyAddresses(connection, tx, tx.toBlockbookJson(height)));
      }
      if (connection.newBlockId != null) {
        connection.send(connection.newBlockId, new JsonObject().put("height", height).put("hash", hash));
      }
    }
  }

  private void notifyAddresses(DoubleConnection connection, IndexedTx tx, JsonObject rendered) {
    for (String address : tx.addresses()) {
      if (connection.addresses.contains(address)) {
        connection.send(connection.addressesId, new JsonObject().put("address", address).put("tx", rendered));
      }
    }
  }

  private void accept(ServerWebSocket socket) {
    if (!"/websocket".equals(socket.path())) {
      socket.close((short) 1008, "not found");
      return;
    }
    DoubleConnection connection = new DoubleConnection(accepted.incrementAndGet(), socket);
    connections.put(socket, connection);
    socket.closeHandler(v -> connections.remove(socket));
    socket.binaryMessageHandler(buffer -> socket.close());
    socket.textMessageHandler(text -> received(connection, text));
  }

  private void received(DoubleConnection connection, String text) {
    if (++connection.messages > limits.messageBudget()) {
      connection.socket.close();
      return;
    }
    JsonObject request;
    try {
      request = new JsonObject(text);
    } catch (DecodeException e) {
      connection.socket.close();
      return;
    }
    if (!(request.getValue("id") instanceof String id)) {
      // Blockbook's request struct has a string id: anything else fails to unmarshal and ends the connection.
      connection.socket.close();
      return;
    }
    JsonObject params = request.getValue("params") instanceof JsonObject object ? object : new JsonObject();
    String method = String.valueOf(request.getValue("method"));
    switch (method) {
      case "ping" -> reply(connection, id, new JsonObject());
      case "getInfo" -> reply(connection, id, info());
      case "subscribeAddresses" -> subscribeAddresses(connection, id, params);
      case "unsubscribeAddresses" -> {
        unsubscribeAddressesCalls.incrementAndGet();
        connection.addresses = Set.of();
        connection.addressesId = null;
        reply(connection, id, new JsonObject().put("subscribed", false));
      }
      case "subscribeNewBlock" -> {
        connection.newBlockId = id;
        reply(connection, id, new JsonObject().put("subscribed", true));
      }
      case "unsubscribeNewBlock" -> {
        connection.newBlockId = null;
        reply(connection, id, new JsonObject().put("subscribed", false));
      }
      case "getAccountInfo" -> accountInfo(connection, id, params);
      case "getTransaction" -> transaction(connection, id, params);
      default -> {
        // Blockbook answers an unknown method with nothing at all.
      }
    }
  }

  private void subscribeAddresses(DoubleConnection connection, String id, JsonObject params) {
    JsonArray requested = params.getJsonArray("addresses", new JsonArray());
    boolean newBlockTxs = params.getBoolean("newBlockTxs", false);
    int max = newBlockTxs ? limits.maxAddressesNewBlockTxs() : limits.maxAddresses();
    if (requested.size() > max) {
      error(connection, id, "addresses max " + max);
      return;
    }
    Set<String> addresses = new LinkedHashSet<>();
    requested.forEach(address -> addresses.add(String.valueOf(address)));
    connection.addresses = Set.copyOf(addresses);
    connection.addressesId = id;
    connection.newBlockTxs = newBlockTxs;
    reply(connection, id, new JsonObject().put("subscribed", true));
  }

  private void accountInfo(DoubleConnection connection, String id, JsonObject params) {
    String descriptor = params.getString("descriptor");
    if (descriptor == null || descriptor.isEmpty()) {
      error(connection, id, "Missing descriptor");
      return;
    }
    connection.descriptors.add(descriptor);
    if (connection.descriptors.size() >= limits.maxDescriptors()) {
      connection.socket.close();
      return;
    }
    long from = params.getLong("from", 0L);
    Long to = params.getLong("to");
    int pageSize = Math.max(1, params.getInteger("pageSize", 1000));
    List<IndexedTx> history = index.history(descriptor);
    List<String> matching = new ArrayList<>();
    // Newest first: mempool (unless "to" is set), then blocks from the top down.
    history.stream().filter(tx -> tx.inMempool() && to == null).forEach(tx -> matching.add(tx.txid()));
    history.stream().filter(tx -> !tx.inMempool() && tx.height() >= from && (to == null || tx.height() <= to))
      .sorted((a, b) -> Long.compare(b.height(), a.height())).forEach(tx -> matching.add(tx.txid()));
    long unconfirmed = history.stream().filter(IndexedTx::inMempool).count();
    JsonObject data = new JsonObject().put("page", 1).put("totalPages", (matching.size() + pageSize - 1) / pageSize).put("itemsOnPage", pageSize)
      .put("address", descriptor).put("balance", "0").put("totalReceived", "0").put("totalSent", "0").put("unconfirmedBalance", "0")
      .put("unconfirmedTxs", unconfirmed).put("txs", history.size() - unconfirmed);
    String details = params.getString("details", "basic");
    if (!"basic".equals(details) && !matching.isEmpty()) {
      data.put("txids", new JsonArray(matching.subList(0, Math.min(pageSize, matching.size()))));
    }
    reply(connection, id, data);
  }

  private void transaction(DoubleConnection connection, String id, JsonObject params) {
    IndexedTx tx = index.tx(params.getString("txid", ""));
    if (tx == null) {
      error(connection, id, "Transaction not found");
    } else {
      reply(connection, id, tx.toBlockbookJson(index.tip()));
    }
  }

  private JsonObject info() {
    long tip = index.tip();
    return new JsonObject().put("name", "Litecoin Testnet").put("shortcut", "TLTC").put("decimals", 8).put("version", "0.6.0-double")
      .put("bestHeight", tip).put("bestHash", index.hash(tip)).put("block0Hash", index.hash(0)).put("testnet", true);
  }

  /** Replies after a random few milliseconds: Blockbook handles requests concurrently, so replies overtake each other. */
  private void reply(DoubleConnection connection, String id, JsonObject data) {
    vertx.setTimer(1 + random.nextInt(limits.maxReplyDelayMs()), t -> connection.send(id, data));
  }

  private void error(DoubleConnection connection, String id, String message) {
    reply(connection, id, new JsonObject().put("error", new JsonObject().put("message", message)));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
