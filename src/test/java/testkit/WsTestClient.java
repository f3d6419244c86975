package testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.TrustOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client with a blocking face for tests: every text message the server sends is queued in arrival
 * order. Call from the test thread, never from an event loop.
 */
public final class WsTestClient implements AutoCloseable {

  private final WebSocketClient client;
  private final WebSocket socket;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Short closeStatus;

  private WsTestClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    try {
      socket.textMessageHandler(received::add);
      socket.closeHandler(v -> {
        closeStatus = socket.closeStatusCode();
        closed.countDown();
      });
    } catch (IllegalStateException alreadyClosed) {
      // The server closed it right after the handshake (a refused connection).
      closeStatus = socket.closeStatusCode();
      closed.countDown();
    }
  }

  public static WsTestClient connect(Vertx vertx, int port) {
    return connect(vertx, port, Map.of());
  }

  public static WsTestClient connect(Vertx vertx, int port, Map<String, String> headers) {
    return connect(vertx, clientOptions(), port, headers);
  }

  /**
   * Over TLS ({@code wss://}), trusting only {@code trust}; the host name is not checked (a test certificate names
   * localhost, the client dials 127.0.0.1). Fails the test if the handshake fails.
   */
  public static WsTestClient connectTls(Vertx vertx, int port, TrustOptions trust) {
    return connect(vertx, clientOptions().setSsl(true).setTrustOptions(trust).setVerifyHost(false), port, Map.of());
  }

  private static WebSocketClientOptions clientOptions() {
    return new WebSocketClientOptions().setMaxMessageSize(16 * 1024 * 1024).setMaxFrameSize(16 * 1024 * 1024);
  }

  private static WsTestClient connect(Vertx vertx, WebSocketClientOptions clientOptions, int port, Map<String, String> headers) {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/");
    headers.forEach(options::addHeader);
    WebSocket socket;
    try {
      socket = await(client.connect(options));
    } catch (AssertionError refused) {
      client.close();
      throw refused;
    }
    return new WsTestClient(client, socket);
  }

  public void send(String text) {
    await(socket.writeTextMessage(text));
  }

  public void sendBinary(byte[] bytes) {
    await(socket.writeBinaryMessage(Buffer.buffer(bytes)));
  }

  /** Sends a call and returns the next message received (callers send one call at a time when they use this). */
  public String call(String text) {
    send(text);
    return next(Duration.ofSeconds(30));
  }

  /** Sends a call and returns its reply, skipping the notifications (update, subLost) that arrive meanwhile. */
  public String callSkippingNotifications(String text) {
    send(text);
    return nextReply(Duration.ofSeconds(30));
  }

  /** The next message that is not a notification (update, subLost); fails the test if none arrives in time. */
  public String nextReply(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String message = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (!message.contains("\"method\":")) {
        return message;
      }
    }
  }

  /** The next message from the server; fails the test if none arrives in time. */
  public String next(Duration timeout) {
    try {
      String message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("no message from the server within " + timeout);
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Fails the test if any message arrives within {@code quiet}. */
  public void expectNothing(Duration quiet) {
    try {
      String message = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (message != null) {
        throw new AssertionError("unexpected message: " + message);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Short closeStatus() {
    return closeStatus;
  }

  @Override
  public void close() {
    try {
      if (!socket.isClosed()) {
        await(socket.close());
      }
    } finally {
      client.close();
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
