package testkit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Many real WebSocket clients that each subscribe their own {@code fake} addresses the way Edge's wallet does (calls
 * of at most 100 tuples, one at a time) and count what the server sends them: the result codes, every update per
 * socket and address, every subLost, every close. For tests that must prove "every update exactly once" across
 * membership changes. Thread-safe; call its blocking methods from the test thread.
 */
public final class WalletFleet implements AutoCloseable {

  private static final int CALL_SIZE = 100;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private static final long RECONNECT_DELAY_MS = 5_000;

  private final Vertx vertx;
  private final String host;
  private final WebSocketClient client;
  private final List<Wallet> wallets = new ArrayList<>();
  /** result code → how many tuples got it. */
  private final Map<Integer, AtomicLong> results = new ConcurrentHashMap<>();
  /** "socket/address" → updates received. */
  private final Map<String, AtomicInteger> updates = new ConcurrentHashMap<>();
  private final AtomicLong subLost = new AtomicLong();
  /** Updates without a checkpoint (activity in the mempool, or the fake's). */
  private final AtomicLong mempoolUpdates = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();
  private final AtomicLong errorReplies = new AtomicLong();
  /** Where a closed wallet reconnects (the load balancer's pick), or null: a closed wallet stays closed. */
  private volatile IntSupplier reconnectPort;
  /** When each reconnect was started (the load a hub is offered), and when its socket opened, in System.nanoTime(). */
  private final List<Long> reconnectStartedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Long> reconnectedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** When each close was seen, in System.nanoTime(). */
  private final List<Long> closedAt = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final class Wallet {
    final int index;
    final List<String> addresses = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile WebSocket socket;
    volatile Promise<JsonArray> pending;
    volatile String checkpoint;

    Wallet(int index, WebSocket socket) {
      this.index = index;
      attach(socket);
    }

    void attach(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(this::received);
      socket.closeHandler(v -> closed());
    }

    void closed() {
      closed.incrementAndGet();
      closedAt.add(System.nanoTime());
      Promise<JsonArray> unanswered = pending;
      pending = null;
      if (unanswered != null) {
        unanswered.tryFail("closed");
      }
      if (reconnectPort != null) {
        vertx.setTimer(RECONNECT_DELAY_MS, id -> reconnect());
      }
    }

    /** As Edge's wallet does after any close or refused connection: again 5 s later, then subscribe everything. */
    void reconnect() {
      reconnectStartedAt.add(System.nanoTime());
      client.connect(new WebSocketConnectOptions().setHost(host).setPort(reconnectPort.getAsInt()).setURI("/")).onComplete(opened -> {
        if (opened.failed()) {
          vertx.setTimer(RECONNECT_DELAY_MS, id -> reconnect());
          return;
        }
        reconnectedAt.add(System.nanoTime());
        attach(opened.result());
        subscribe("fake", List.copyOf(addresses), checkpoint, 0, false);
      });
    }

    void received(String text) {
      JsonObject message = new JsonObject(text);
      String method = message.getString("method");
      if ("update".equals(method)) {
        updates.computeIfAbsent(index + "/" + message.getJsonArray("params").getString(1), k -> new AtomicInteger()).incrementAndGet();
        if (message.getJsonArray("params").getValue(2) == null) {
          mempoolUpdates.incrementAndGet();
        }
      } else if ("subLost".equals(method)) {
        subLost.incrementAndGet();
      } else if (pending != null) {
        Promise<JsonArray> answered = pending;
        pending = null;
        if (message.containsKey("error")) {
          errorReplies.incrementAndGet();
          answered.complete(new JsonArray());
        } else {
          answered.complete(message.getJsonArray("result"));
        }
      }
    }

    /** Subscribes in calls of {@value #CALL_SIZE}, each sent when the previous one is answered. */
    Future<Void> subscribe(String pluginId, List<String> more, String checkpoint, int from, boolean record) {
      if (from >= more.size()) {
        return Future.succeededFuture();
      }
      List<String> call = more.subList(from, Math.min(more.size(), from + CALL_SIZE));
      JsonArray params = new JsonArray();
      call.forEach(address -> params.add(new JsonArray().add(pluginId).add(address).add(checkpoint)));
      Promise<JsonArray> answer = Promise.promise();
      pending = answer;
      this.checkpoint = checkpoint;
      socket.writeTextMessage(new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", from).encode());
      return answer.future().compose(codes -> {
        codes.forEach(code -> results.computeIfAbsent((Integer) code, c -> new AtomicLong()).incrementAndGet());
        if (record) {
          addresses.addAll(call);
        }
        return subscribe(pluginId, more, checkpoint, from + CALL_SIZE, record);
      });
    }
  }

  private WalletFleet(Vertx vertx, String host) {
    this.vertx = vertx;
    this.host = host;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
  }

  /** Opens {@code sockets} sockets to {@code host:port}, a hundred handshakes at a time. */
  public static WalletFleet connect(Vertx vertx, String host, int port, int sockets) {
    WalletFleet fleet = new WalletFleet(vertx, host);
    for (int from = 0; from < sockets; from += 100) {
      List<Future<Wallet>> opened = new ArrayList<>();
      for (int i = from; i < Math.min(sockets, from + 100); i++) {
        int index = i;
        // Handlers are set in the connect callback, on the socket's event loop, before anything can arrive.
        opened.add(fleet.client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/"))
          .map(socket -> fleet.new Wallet(index, socket)));
      }
      await(Future.all(opened), CALL_TIMEOUT);
      opened.forEach(wallet -> fleet.wallets.add(wallet.result()));
    }
    return fleet;
  }

  /**
   * Spreads {@code addresses} of {@code pluginId} over the sockets, {@code perSocket} each, all with {@code checkpoint};
   * waits for the answers.
   */
  public void subscribeGiven(String pluginId, List<String> addresses, int perSocket, String checkpoint) {
    List<Future<Void>> done = new ArrayList<>();
    for (int from = 0, socket = 0; from < addresses.size(); from += perSocket, socket++) {
      Wallet wallet = wallets.get(socket);
      List<String> own = addresses.subList(from, Math.min(addresses.size(), from + perSocket));
      Promise<Void> subscribed = Promise.promise();
      vertx.runOnContext(v -> wallet.subscribe(pluginId, own, checkpoint, 0, true).onComplete(subscribed));
      done.add(subscribed.future());
    }
    await(Future.all(done), CALL_TIMEOUT.multipliedBy(5));
  }

  /** Every socket subscribes {@code count} new addresses of its own ({@code <prefix><socket>-<n>}); waits for the answers. */
  public void subscribeEach(String prefix, int count) {
    List<Future<Void>> done = new ArrayList<>();
    for (Wallet wallet : wallets) {
      List<String> more = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        more.add(prefix + wallet.index + "-" + i);
      }
      Promise<Void> subscribed = Promise.promise();
      vertx.runOnContext(v -> wallet.subscribe("fake", more, "10", 0, true).onComplete(subscribed));
      done.add(subscribed.future());
    }
    await(Future.all(done), CALL_TIMEOUT.multipliedBy(5));
  }

  /**
   * From now on a wallet whose socket closes reconnects as Edge's does (PROTOCOL.md: exactly 5 s after any close, no
   * jitter), to the port {@code loadBalancer} picks at that moment, and subscribes its addresses again.
   */
  public void reconnectAfterClose(IntSupplier loadBalancer) {
    reconnectPort = loadBalancer;
  }

  /** When each close was seen (System.nanoTime()). */
  public List<Long> closeTimes() {
    return List.copyOf(closedAt);
  }

  /** When each reconnect attempt started (System.nanoTime()): what the hubs are offered, retries included. */
  public List<Long> reconnectAttemptTimes() {
    return List.copyOf(reconnectStartedAt);
  }

  /** When each reconnected socket opened (System.nanoTime()), in the order they did. */
  public List<Long> reconnectTimes() {
    return List.copyOf(reconnectedAt);
  }

  public int sockets() {
    return wallets.size();
  }

  /** Subscriptions answered so far, over all sockets. */
  public long subscriptions() {
    return wallets.stream().mapToLong(wallet -> wallet.addresses.size()).sum();
  }

  /** How many tuples were answered with {@code code} so far. */
  public long results(int code) {
    AtomicLong count = results.get(code);
    return count == null ? 0 : count.get();
  }

  public Map<Integer, Long> resultCounts() {
    Map<Integer, Long> counts = new java.util.TreeMap<>();
    results.forEach((code, count) -> counts.put(code, count.get()));
    return counts;
  }

  /** Waits until every subscribed address has had at least {@code perAddress} updates; false on timeout. */
  public boolean awaitUpdates(int perAddress, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (addressesWithFewerThan(perAddress) == 0) {
        return true;
      }
      sleep(100);
    }
    return false;
  }

  /** Subscribed addresses with fewer than {@code perAddress} updates so far. */
  public long addressesWithFewerThan(int perAddress) {
    long missing = 0;
    for (Wallet wallet : wallets) {
      for (String address : wallet.addresses) {
        AtomicInteger count = updates.get(wallet.index + "/" + address);
        if (count == null || count.get() < perAddress) {
          missing++;
        }
      }
    }
    return missing;
  }

  /**
   * For a failure message: how many subscribed addresses have fewer than {@code perAddress} updates, by address prefix
   * (the part before the socket index), with a few of them named.
   */
  public String describeMissing(int perAddress) {
    Map<String, Long> byPrefix = new java.util.TreeMap<>();
    List<String> examples = new ArrayList<>();
    for (Wallet wallet : wallets) {
      for (String address : wallet.addresses) {
        AtomicInteger count = updates.get(wallet.index + "/" + address);
        if (count == null || count.get() < perAddress) {
          byPrefix.merge(address.replaceAll("\\d+-\\d+$", ""), 1L, Long::sum);
          if (examples.size() < 5) {
            examples.add(wallet.index + "/" + address);
          }
        }
      }
    }
    return "addresses with fewer than " + perAddress + " updates, by prefix: " + byPrefix + ", e.g. " + examples;
  }

  /** Updates beyond {@code perAddress} per address: duplicates. */
  public long updatesBeyond(int perAddress) {
    return updates.values().stream().mapToLong(count -> Math.max(0, count.get() - perAddress)).sum();
  }

  public long mempoolUpdates() {
    return mempoolUpdates.get();
  }

  public long updates() {
    return updates.values().stream().mapToLong(AtomicInteger::get).sum();
  }

  public void resetUpdates() {
    updates.clear();
  }

  /**
   * Activity on every address every instance of {@code pluginId} watches, once each ({@link AdminClient#activityOnEveryAddress}):
   * every subscription of this fleet gets exactly one update, no socket saw a subLost, and every socket that closed has
   * reconnected.
   */
  public void assertActivityReachesEverySubscriptionOnce(AdminClient admin, String pluginId, long watched) {
    resetUpdates();
    org.assertj.core.api.Assertions.assertThat(admin.activityOnEveryAddress(pluginId)).as("updates scheduled").isEqualTo(watched);
    org.assertj.core.api.Assertions.assertThat(awaitUpdates(1, Duration.ofSeconds(60))).as("every subscription updated").isTrue();
    sleep(1_000);
    org.assertj.core.api.Assertions.assertThat(updatesBeyond(1)).as("duplicates").isZero();
    org.assertj.core.api.Assertions.assertThat(subLost()).as("subLost").isZero();
    org.assertj.core.api.Assertions.assertThat(closedSockets() - reconnectedAt.size()).as("sockets closed, not reconnected").isZero();
  }

  public long subLost() {
    return subLost.get();
  }

  public long closedSockets() {
    return closed.get();
  }

  public long errorReplies() {
    return errorReplies.get();
  }

  @Override
  public void close() {
    reconnectPort = null;
    List<Future<Void>> closing = wallets.stream().map(wallet -> wallet.socket.close()).toList();
    try {
      await(Future.join(closing), Duration.ofSeconds(30));
    } catch (AssertionError ignored) {
      // Already closed by the server.
    }
    client.close();
  }

  private static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
