package testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One well-behaved wallet on one socket, as Edge's wallet core is (PROTOCOL.md, "How the real client behaves"): it
 * sends {@code subscribe} calls one at a time and waits for each reply, and it reads everything the server sends,
 * counting the {@code update}s per address. Its socket may come from a chosen local address (any of 127/8 reaches the
 * loopback), so that the hub sees it as a client of its own. Blocking methods: call them from a test thread.
 */
public final class EdgeWallet implements AutoCloseable {

  /** A reply and how long it took from the send to its arrival; exactly one of {@code result} and {@code error} is set. */
  public record Reply(JsonArray result, JsonObject error, long latencyNanos) {

    public boolean isError() {
      return error != null;
    }
  }

  private record Arrival(JsonObject message, long atNanos) {
  }

  private final WebSocketClient client;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<Arrival>> pending = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> updates = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger();
  private volatile Short closeStatus;
  private volatile boolean closed;

  private EdgeWallet(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(this::received);
    socket.closeHandler(v -> {
      closed = true;
      closeStatus = socket.closeStatusCode();
      pending.values().forEach(call -> call.completeExceptionally(new IllegalStateException("socket closed (status " + closeStatus + ")")));
    });
  }

  /** Connects to {@code 127.0.0.1:port} from {@code localAddress}. */
  public static EdgeWallet connect(Vertx vertx, String localAddress, int port) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(localAddress)
      .setMaxMessageSize(16 * 1024 * 1024).setMaxFrameSize(16 * 1024 * 1024));
    WebSocket socket = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/")));
    return new EdgeWallet(client, socket);
  }

  /**
   * Subscribes {@code addresses} of {@code pluginId} in one call and waits for its reply; null when none came within
   * {@code timeout} (a reply that comes later is dropped). Fails if the socket closes first.
   */
  public Reply subscribe(String pluginId, List<String> addresses, String checkpoint, Duration timeout) {
    if (closed) {
      throw new AssertionError("socket closed (status " + closeStatus + ")");
    }
    int id = nextId.getAndIncrement();
    JsonArray params = new JsonArray();
    addresses.forEach(address -> params.add(new JsonArray().add(pluginId).add(address).add(checkpoint)));
    CompletableFuture<Arrival> reply = new CompletableFuture<>();
    pending.put(id, reply);
    long sentAt = System.nanoTime();
    socket.writeTextMessage(new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", id).encode());
    try {
      Arrival arrival = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Reply(arrival.message().getJsonArray("result"), arrival.message().getJsonObject("error"), arrival.atNanos() - sentAt);
    } catch (TimeoutException e) {
      return null;
    } catch (Exception e) {
      throw new AssertionError("call " + id + " failed: " + e.getMessage(), e);
    } finally {
      pending.remove(id);
    }
  }

  /** Updates received for {@code address} since the last {@link #resetUpdates}. */
  public int updates(String address) {
    AtomicInteger count = updates.get(address);
    return count == null ? 0 : count.get();
  }

  /** How many of {@code addresses} have had no update since the last {@link #resetUpdates}. */
  public long withoutUpdate(List<String> addresses) {
    return addresses.stream().filter(address -> updates(address) == 0).count();
  }

  public void resetUpdates() {
    updates.clear();
  }

  public boolean isClosed() {
    return closed;
  }

  public Short closeStatus() {
    return closeStatus;
  }

  private void received(String text) {
    long at = System.nanoTime();
    JsonObject message = new JsonObject(text);
    if ("update".equals(message.getString("method"))) {
      updates.computeIfAbsent(message.getJsonArray("params").getString(1), a -> new AtomicInteger()).incrementAndGet();
    } else if (message.getValue("id") instanceof Number id) {
      CompletableFuture<Arrival> call = pending.get(id.intValue());
      if (call != null) {
        call.complete(new Arrival(message, at));
      }
    }
  }

  @Override
  public void close() {
    try {
      if (!closed) {
        await(socket.close());
      }
    } catch (AssertionError alreadyGone) {
      // The server or the network closed it meanwhile.
    } finally {
      client.close();
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
