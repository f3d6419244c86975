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
 * A Blockbook WebSocket server double (CHAINS.md), v0.6.0 unless told otherwise ({@link #serverVersion}), serving a
 * Litecoin regtest chain from a real litecoind through {@link NodeIndex}. Reproduces the envelope and its warts: a
 * non-string id, a binary frame or unparsable JSON closes the connection; an unknown method gets no reply; replies are
 * delayed by a random few milliseconds, so they come out of order; {@code subscribeAddresses} replaces the
 * connection's set (over the limit: error {@code addresses max N}; an address its {@link LitecoinParser} refuses: the
 * whole call fails and the previous set stays) and its notifications carry the id of the latest call and name the
 * address in the parser's canonical form; {@code unsubscribeAddresses} drops everything; confirmed transactions are
 * notified only with {@code newBlockTxs} (v0.6.0 on); the 43rd distinct {@code getAccountInfo} descriptor and the
 * message budget close the connection; {@code getTransaction} of an unknown txid answers
 * {@code Transaction '<txid>' not found}. The switches below add the real server's less common behaviours (overload,
 * dropped confirmations, transient backend failures, huge notifications); {@link #reset()} clears them.
 * {@link #stop()} and {@link #start()} restart it on the same port, keeping its index, like a Blockbook restart.
 */
public final class BlockbookDouble implements NodeIndex.Listener {

  /**
   * Limits of the double, the real server's by default: addresses per subscribeAddresses (without / with
   * newBlockTxs), distinct getAccountInfo descriptors a connection may use (one more closes it), messages a connection
   * may send (one more closes it; v0.6.0 on), and the longest random reply delay.
   */
  public record Limits(int maxAddresses, int maxAddressesNewBlockTxs, int maxDescriptors, int messageBudget, int maxReplyDelayMs) {
    public static Limits v060() {
      return new Limits(1000, 100, 42, 2500, 15);
    }
  }

  /** Blockbook's cap on one message it receives (what it sends is not capped). */
  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
  /** The version a current Blockbook reports in getInfo. */
  public static final String DEFAULT_VERSION = "0.6.0";
  /** The parser error a {@link #rejectAddress(String) rejected} address gets by default. */
  public static final String DEFAULT_PARSER_ERROR = "checksum mismatch";
  /** Blockbook v0.6.0's answer to any request while the server is over its work limit. */
  public static final String WORK_LIMIT = "work_limit";
  /** The cause a {@link #transientNotFound transient} getTransaction failure names (a backend RPC timing out). */
  public static final String TRANSIENT_CAUSE = "context deadline exceeded";

  /** The key of the switches that apply to every transaction. */
  private static final String ANY_TX = "*";

  /** Requests of one method still to be failed with {@code message}. */
  private record Failure(String message, AtomicInteger remaining) {
  }

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
  private final LitecoinParser parser = LitecoinParser.REGTEST;
  private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
  // The switches: set from test threads, read on the double's context.
  private volatile String version = DEFAULT_VERSION;
  private volatile boolean dropConfirmedNotifications;
  private final Map<String, String> rejected = new ConcurrentHashMap<>();
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();
  /** txid (or {@link #ANY_TX}) → hex characters its notifications carry. */
  private final Map<String, Integer> inflated = new ConcurrentHashMap<>();
  /** txid (or {@link #ANY_TX}) → getTransaction calls still to answer with the transient not-found form. */
  private final Map<String, AtomicInteger> transientNotFound = new ConcurrentHashMap<>();
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

  /** Requests of {@code method} received since creation (answered, failed or not). */
  public int requestCount(String method) {
    AtomicInteger count = requestCounts.get(method);
    return count == null ? 0 : count.get();
  }

  /** The parser the double validates and names addresses with (e.g. to write a Bitcoin-style P2SH address). */
  public LitecoinParser parser() {
    return parser;
  }

  /** Puts every switch below back to a v0.6.0 server working normally. */
  public void reset() {
    version = DEFAULT_VERSION;
    dropConfirmedNotifications = false;
    rejected.clear();
    failures.clear();
    inflated.clear();
    transientNotFound.clear();
  }

  /**
   * The version getInfo reports, "0.6.0" by default. Below 0.6.0 the server behaves as older Blockbooks do: it ignores
   * {@code newBlockTxs} (still answering {@code subscribed:true}, never notifying a confirmed tx, no 100-address limit),
   * a refused address's error is the parser's bare message, and there is no message budget. A version that is not
   * numeric ("devel", "unknown": a self-built server) behaves as the newest.
   */
  public void serverVersion(String version) {
    this.version = version;
  }

  /** v0.6.0's newBlockTxs is best effort: confirmed-tx notifications are dropped (work_limit, conversion errors), mempool ones still sent. */
  public void dropConfirmedNotifications(boolean drop) {
    this.dropConfirmedNotifications = drop;
  }

  /** The parser refuses this (otherwise valid) address with {@value #DEFAULT_PARSER_ERROR}: a subscribeAddresses naming it fails whole. */
  public void rejectAddress(String address) {
    rejectAddress(address, DEFAULT_PARSER_ERROR);
  }

  /** The parser refuses this address with {@code parserError}: a subscribeAddresses naming it fails whole, the previous set stays. */
  public void rejectAddress(String address, String parserError) {
    rejected.put(address, parserError);
  }

  /** The next {@code times} requests of {@code method} answer {@value #WORK_LIMIT} and are not applied (a v0.6.0 server over its work limit). */
  public void workLimit(String method, int times) {
    failNext(method, times, WORK_LIMIT);
  }

  /** The next {@code times} requests of {@code method} answer the error {@code message} and are not applied (e.g. a panic's "Internal error"). */
  public void failNext(String method, int times, String message) {
    failures.put(method, new Failure(message, new AtomicInteger(times)));
  }

  /** Every address notification carries a {@code hex} of {@code hexChars} characters (0: the real one): what Blockbook sends is not size-capped. */
  public void inflateNotifications(int hexChars) {
    setOrClear(inflated, ANY_TX, hexChars);
  }

  /** The notifications of one tx carry a {@code hex} of {@code hexChars} characters (0: the real one). */
  public void inflateNotifications(String txid, int hexChars) {
    setOrClear(inflated, txid, hexChars);
  }

  /**
   * The next {@code times} getTransaction calls for {@code txid} (null: any txid) answer the form Blockbook gives a
   * transient backend failure, {@code Transaction '<txid>' not found (txid <txid>: <cause>)}, even for a known tx.
   */
  public void transientNotFound(String txid, int times) {
    transientNotFound.put(txid == null ? ANY_TX : txid, new AtomicInteger(times));
  }

  @Override
  public void mempoolTx(IndexedTx tx) {
    JsonObject rendered = render(tx, index.tip());
    Set<String> touched = canonicalAddresses(tx);
    for (DoubleConnection connection : connections.values()) {
      notifyAddresses(connection, touched, rendered);
    }
  }

  @Override
  public void blockConnected(long height, String hash, List<IndexedTx> txs) {
    boolean notifyTxs = !dropConfirmedNotifications;
    List<JsonObject> rendered = notifyTxs ? txs.stream().map(tx -> render(tx, height)).toList() : List.of();
    List<Set<String>> touched = notifyTxs ? txs.stream().map(this::canonicalAddresses).toList() : List.of();
    for (DoubleConnection connection : connections.values()) {
      if (connection.newBlockTxs && notifyTxs) {
        for (int i = 0; i < txs.size(); i++) {
          notifyAddresses(connection, touched.get(i), rendered.get(i));
        }
      }
      if (connection.newBlockId != null) {
        connection.send(connection.newBlockId, new JsonObject().put("height", height).put("hash", hash));
      }
    }
  }

  /** The tx's addresses as the parser names them, each once. */
  private Set<String> canonicalAddresses(IndexedTx tx) {
    Set<String> touched = new LinkedHashSet<>();
    tx.addresses().forEach(address -> touched.add(parser.canonicalOrSelf(address)));
    return touched;
  }

  /** Blockbook's notification names the address as its parser does (Litecoin's form of a Bitcoin-style P2SH), once per address. */
  private void notifyAddresses(DoubleConnection connection, Set<String> touched, JsonObject rendered) {
    for (String address : touched) {
      if (connection.canonical.contains(address)) {
        connection.send(connection.addressesId, new JsonObject().put("address", address).put("tx", rendered));
      }
    }
  }

  private JsonObject render(IndexedTx tx, long tip) {
    JsonObject json = tx.toBlockbookJson(tip);
    Integer hexChars = inflated.getOrDefault(tx.txid(), inflated.get(ANY_TX));
    if (hexChars != null) {
      json.put("hex", "0".repeat(hexChars));
    }
    return json;
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
    // The per-connection message budget arrived with v0.6.0.
    if (++connection.messages > limits.messageBudget() && atLeastV060(version)) {
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
    requestCounts.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    Failure failure = failures.get(method);
    if (failure != null && failure.remaining().getAndDecrement() > 0) {
      error(connection, id, failure.message());
      return;
    }
    switch (method) {
      case "ping" -> reply(connection, id, new JsonObject());
      case "getInfo" -> reply(connection, id, info());
      case "subscribeAddresses" -> subscribeAddresses(connection, id, params);
      case "unsubscribeAddresses" -> {
        unsubscribeAddressesCalls.incrementAndGet();
        connection.addresses = Set.of();
        connection.canonical = Set.of();
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

  /**
   * Checks the count, then parses every address in order: the first one refused fails the whole call (v0.6.0 names it,
   * Go-quoted; older servers give the parser's bare error) and the previous set stays in force.
   */
  private void subscribeAddresses(DoubleConnection connection, String id, JsonObject params) {
    JsonArray requested = params.getJsonArray("addresses", new JsonArray());
    boolean current = atLeastV060(version);
    // Older servers do not know the field at all.
    boolean newBlockTxs = current && params.getBoolean("newBlockTxs", false);
    int max = newBlockTxs ? limits.maxAddressesNewBlockTxs() : limits.maxAddresses();
    if (requested.size() > max) {
      error(connection, id, "addresses max " + max);
      return;
    }
    Set<String> addresses = new LinkedHashSet<>();
    Set<String> canonical = new LinkedHashSet<>();
    for (Object raw : requested) {
      String address = String.valueOf(raw);
      String refusal = rejected.get(address);
      if (refusal == null) {
        try {
          canonical.add(parser.canonical(address));
        } catch (LitecoinParser.InvalidAddress e) {
          refusal = e.getMessage();
        }
      }
      if (refusal != null) {
        error(connection, id, current ? "Invalid address " + goQuote(address) + ", " + refusal : refusal);
        return;
      }
      addresses.add(address);
    }
    connection.addresses = Set.copyOf(addresses);
    connection.canonical = Set.copyOf(canonical);
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
    // The first descriptor past the limit closes the connection without a reply; repeated ones do not count.
    if (connection.descriptors.add(descriptor) && connection.descriptors.size() > limits.maxDescriptors()) {
      connection.socket.close();
      return;
    }
    long from = params.getLong("from", 0L);
    Long to = params.getLong("to");
    int pageSize = Math.max(1, params.getInteger("pageSize", 1000));
    // Blockbook looks an address up by its script: a Bitcoin-style P2SH finds the Litecoin-form address's history.
    List<IndexedTx> history = index.history(parser.canonicalOrSelf(descriptor));
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

  /** Unknown: {@code Transaction '<txid>' not found}; a backend failure: the same, then {@code (txid <txid>: <cause>)}. */
  private void transaction(DoubleConnection connection, String id, JsonObject params) {
    String txid = params.getString("txid", "");
    IndexedTx tx = index.tx(txid);
    if (takeTransient(txid) || takeTransient(ANY_TX)) {
      error(connection, id, "Transaction '" + txid + "' not found (txid " + txid + ": " + TRANSIENT_CAUSE + ")");
    } else if (tx == null) {
      error(connection, id, "Transaction '" + txid + "' not found");
    } else {
      reply(connection, id, tx.toBlockbookJson(index.tip()));
    }
  }

  private boolean takeTransient(String key) {
    AtomicInteger remaining = transientNotFound.get(key);
    return remaining != null && remaining.getAndDecrement() > 0;
  }

  private JsonObject info() {
    long tip = index.tip();
    return new JsonObject().put("name", "Litecoin Testnet").put("shortcut", "TLTC").put("network", "TLTC").put("decimals", 8)
      .put("version", version).put("bestHeight", tip).put("bestHash", index.hash(tip)).put("block0Hash", index.hash(0)).put("testnet", true)
      .put("backend", new JsonObject().put("version", "210201").put("subversion", "/LitecoinCore:0.21.2.1/"));
  }

  /** Whether a server of this version is 0.6.0 or later (knows newBlockTxs); a non-numeric version is a current self-built one. */
  static boolean atLeastV060(String version) {
    String[] parts = version.split("[.-]");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major > 0 || minor >= 6;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Go's {@code strconv.Quote}, as v0.6.0 names a refused address. */
  static String goQuote(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", c));
          } else if (!Character.isDefined(c) || Character.getType(c) == Character.FORMAT) {
            out.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    });
    return out.append('"').toString();
  }

  private static void setOrClear(Map<String, Integer> map, String key, int value) {
    if (value > 0) {
      map.put(key, value);
    } else {
      map.remove(key);
    }
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
