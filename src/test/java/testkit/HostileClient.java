package testkit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One hostile client address (127.0.0.1) pushing a hub as hard as its limits let it: many sockets, each sending
 * {@code subscribe} calls of the largest size allowed, of {@code fake} addresses nobody else has, at the sustained
 * message rate, waiting for replies only when it has {@code inFlightPerSocket} calls out (and for each message to reach
 * the wire, so the server's TCP window is a brake too). Most sockets read what comes back only to spot a refusal; a few never read anything, so that their
 * replies and updates pile up on the server. It stops pushing at the first refusal: an error 1 other than the rate
 * limit or too many calls in progress (those only say "slow down", and it does not), a result 0, or a close frame from
 * the server on a socket that reads.
 */
public final class HostileClient implements AutoCloseable {

  private static final short ABNORMAL_CLOSURE = 1006;

  private final Vertx vertx;
  private final int port;
  private final int readingSockets;
  private final int silentSockets;
  private final int callsPerSocket;
  private final int inFlightPerSocket;
  private final int tuplesPerCall;
  private final long callIntervalMs;

  private final WebSocketClient client;
  private final List<Reader> readers = new ArrayList<>();
  private final List<Thread> silentPushers = new ArrayList<>();
  private final List<RawWebSocket> silent = new ArrayList<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refusedTuples = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong callsSent = new AtomicLong();
  private final AtomicLong callsAnswered = new AtomicLong();
  private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> silentFailures = new ConcurrentHashMap<>();
  private final AtomicReference<String> firstRefusal = new AtomicReference<>();
  private volatile long startedAtNanos;
  private volatile long refusedAfterMs = -1;
  private volatile long settledAfterMs = -1;
  private volatile long acceptedBeforeRefusal = -1;
  private volatile boolean closing;

  /**
   * {@code inFlightPerSocket}: calls a reading socket sends before it waits for a reply ({@code callsPerSocket}: never
   * waits); {@code callInterval}: the least time between two calls of one socket.
   */
  public HostileClient(Vertx vertx, int port, int readingSockets, int silentSockets, int callsPerSocket, int inFlightPerSocket,
                       int tuplesPerCall, Duration callInterval) {
    this.vertx = vertx;
    this.port = port;
    this.readingSockets = readingSockets;
    this.silentSockets = silentSockets;
    this.callsPerSocket = callsPerSocket;
    this.inFlightPerSocket = inFlightPerSocket;
    this.tuplesPerCall = tuplesPerCall;
    this.callIntervalMs = callInterval.toMillis();
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000)
      .setMaxMessageSize(64 * 1024 * 1024).setMaxFrameSize(64 * 1024 * 1024));
  }

  /**
   * A socket that reads: counts what comes back; pushes its next call once the previous one is on the wire, the call
   * interval has passed and fewer than {@code inFlightPerSocket} calls are unanswered.
   */
  private final class Reader {
    final int index;
    WebSocket socket;
    Context context;
    volatile int sent;
    final AtomicInteger answered = new AtomicInteger();
    volatile boolean closed;
    boolean waitingForReply;

    Reader(int index) {
      this.index = index;
    }

    void attach(WebSocket socket) {
      this.socket = socket;
      this.context = Vertx.currentContext();
      socket.textMessageHandler(this::received);
      socket.closeHandler(v -> {
        closed = true;
        if (!closing) {
          // 1006 is what the client reports when no close frame came: a crash or a reset, not a refusal.
          Short status = socket.closeStatusCode();
          boolean closeFrame = status != null && status != ABNORMAL_CLOSURE;
          String what = closeFrame ? "closed " + status + " " + socket.closeReason() : "lost without a close frame";
          count(closes, what);
          if (closeFrame) {
            refused("a reading socket " + what);
          }
        }
      });
    }

    /** On the socket's event loop (its context), so that its timers and callbacks are too. */
    void pushNext() {
      if (closing || closed || isRefused() || sent == callsPerSocket) {
        return;
      }
      if (sent - answered.get() >= inFlightPerSocket) {
        waitingForReply = true;
        return;
      }
      long startedAt = System.nanoTime();
      String call = call(index, sent++);
      callsSent.incrementAndGet();
      socket.writeTextMessage(call).onComplete(written -> {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        vertx.setTimer(Math.max(1, callIntervalMs - elapsedMs), id -> pushNext());
      });
    }

    boolean settled() {
      return closed || (answered.get() == sent && (isRefused() || sent == callsPerSocket));
    }

    private void received(String text) {
      if (text.startsWith("{\"jsonrpc\":\"2.0\",\"method\":")) {
        updates.incrementAndGet();
        return;
      }
      JsonObject reply = new JsonObject(text);
      answered.incrementAndGet();
      callsAnswered.incrementAndGet();
      if (waitingForReply) {
        waitingForReply = false;
        pushNext();
      }
      JsonObject error = reply.getJsonObject("error");
      if (error != null) {
        String what = error.getInteger("code") + " " + clip(error.getString("message"));
        count(errors, what);
        refusedTuples.addAndGet(tuplesPerCall);
        // "Slow down" errors (the rate limit, too many calls in progress) do not stop a hostile client: it just goes on.
        String message = error.getString("message", "");
        if (Integer.valueOf(1).equals(error.getInteger("code")) && !message.startsWith("Rate limit") && !message.startsWith("Too many subscriptions in progress")) {
          refused("error " + what);
        }
        return;
      }
      JsonArray result = reply.getJsonArray("result");
      int zeros = 0;
      for (int i = 0; i < result.size(); i++) {
        int code = result.getInteger(i);
        if (code == 1 || code == 2) {
          accepted.incrementAndGet();
        } else if (code == 0) {
          zeros++;
        } else {
          count(errors, "result " + code);
        }
      }
      if (zeros > 0) {
        refusedTuples.addAndGet(zeros);
        refused("result 0 for " + zeros + " of " + result.size() + " tuples");
      }
    }
  }

  /** Opens every socket, then starts pushing on all of them at once. */
  public void start() throws IOException {
    List<Future<WebSocket>> opened = new ArrayList<>();
    for (int i = 0; i < readingSockets; i++) {
      Reader reader = new Reader(i);
      readers.add(reader);
      // Handlers are set in the connect callback, on the socket's event loop, before anything can arrive.
      opened.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/")).onSuccess(reader::attach));
    }
    await(Future.all(opened));
    for (int j = 0; j < silentSockets; j++) {
      silent.add(RawWebSocket.connect(port));
    }
    startedAtNanos = System.nanoTime();
    for (Reader reader : readers) {
      reader.context.runOnContext(v -> reader.pushNext());
    }
    for (int j = 0; j < silentSockets; j++) {
      int index = readingSockets + j;
      RawWebSocket socket = silent.get(j);
      Thread pusher = new Thread(() -> pushSilently(index, socket), "hostile-silent-" + j);
      pusher.setDaemon(true);
      pusher.start();
      silentPushers.add(pusher);
    }
  }

  /**
   * Waits until the push is over: refused, or every call sent, and every reading socket has its replies (or was
   * closed). False if that takes longer than {@code cap}.
   */
  public boolean awaitSettled(Duration cap) throws InterruptedException {
    long deadline = startedAtNanos + cap.toNanos();
    while (System.nanoTime() < deadline) {
      if (readers.stream().allMatch(Reader::settled)) {
        settledAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** A socket that never reads: it writes its calls until refused, closed, or held back by the server forever. */
  private void pushSilently(int index, RawWebSocket socket) {
    for (int call = 0; call < callsPerSocket && !closing && !isRefused(); call++) {
      long startedAt = System.nanoTime();
      try {
        socket.sendText(call(index, call));
        callsSent.incrementAndGet();
      } catch (IOException e) {
        if (!closing) {
          count(silentFailures, clip(e.toString()));
        }
        return;
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
      try {
        Thread.sleep(Math.max(0, callIntervalMs - elapsedMs));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private String call(int socket, int call) {
    StringBuilder json = new StringBuilder(40 * tuplesPerCall).append("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[");
    for (int i = 0; i < tuplesPerCall; i++) {
      json.append(i == 0 ? "" : ",").append("[\"fake\",\"hostile-").append(socket).append('-').append(call).append('-').append(i).append("\",null]");
    }
    return json.append("],\"id\":").append(call).append('}').toString();
  }

  private void refused(String what) {
    if (firstRefusal.compareAndSet(null, what)) {
      refusedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
      acceptedBeforeRefusal = accepted.get();
    }
  }

  public boolean isRefused() {
    return firstRefusal.get() != null;
  }

  /** What refused it first, null if nothing did. */
  public String firstRefusal() {
    return firstRefusal.get();
  }

  /** Milliseconds from the start of the push to the first refusal, -1 if none. */
  public long refusedAfterMs() {
    return refusedAfterMs;
  }

  /** Subscriptions its reading sockets had been granted (1 or 2) when the first refusal came, -1 if none came. */
  public long acceptedBeforeRefusal() {
    return acceptedBeforeRefusal;
  }

  /** Subscriptions its reading sockets were granted in all (calls in flight at the refusal may still be granted). */
  public long accepted() {
    return accepted.get();
  }

  public long refusedTuples() {
    return refusedTuples.get();
  }

  public long updates() {
    return updates.get();
  }

  public long callsSent() {
    return callsSent.get();
  }

  public long callsAnswered() {
    return callsAnswered.get();
  }

  /** Error replies by code and message. */
  public Map<String, Integer> errors() {
    return snapshot(errors);
  }

  /** Reading sockets closed by the server, by status and reason. */
  public Map<String, Integer> closes() {
    return snapshot(closes);
  }

  /** Silent sockets whose writes failed (the server closed or reset them), by failure. */
  public Map<String, Integer> silentFailures() {
    return snapshot(silentFailures);
  }

  public String describe() {
    return String.format("push settled after %,d ms (-1: not settled); %,d calls sent, %,d answered on the %d reading sockets; granted %,d subscriptions (%,d before the first "
        + "refusal), refused %,d tuples; first refusal after %,d ms: %s; errors %s; server closes %s; silent sockets' write failures %s; "
        + "%,d updates read", settledAfterMs, callsSent(), callsAnswered(), readingSockets, accepted(), acceptedBeforeRefusal, refusedTuples(),
      refusedAfterMs, firstRefusal(), errors(), closes(), silentFailures(), updates());
  }

  /** Closes every socket: the hub must release all of this client's subscriptions. */
  @Override
  public void close() {
    closing = true;
    for (RawWebSocket socket : silent) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Already reset by the server.
      }
    }
    List<Future<Void>> closed = new ArrayList<>();
    for (Reader reader : readers) {
      if (reader.socket != null && !reader.closed) {
        closed.add(reader.socket.close());
      }
    }
    try {
      Future.join(closed).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // A socket the server had already dropped.
    }
    for (Thread pusher : silentPushers) {
      try {
        pusher.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    client.close();
  }

  private static void count(Map<String, AtomicInteger> counts, String what) {
    counts.computeIfAbsent(what, w -> new AtomicInteger()).incrementAndGet();
  }

  private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
    Map<String, Integer> copy = new TreeMap<>();
    counts.forEach((what, count) -> copy.put(what, count.get()));
    return copy;
  }

  private static String clip(String text) {
    return text == null ? "" : text.length() <= 100 ? text : text.substring(0, 100) + "…";
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
