package chainworker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import ops.UpstreamCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * {@code eth_subscribe newHeads} over a WebSocket, used only as a doorbell: each notification makes the follower poll
 * at once, so a block is read as soon as it exists instead of at the next poll tick. The block itself is still read
 * and checked over RPC like any other, so a lost or duplicated notification costs at most one poll interval. The
 * connection is Vert.x's own (non-blocking, on the event loop), and is reopened with a doubling backoff when it drops.
 * Failed attempts and drops count as upstream errors, each subscription after the first as a reconnect.
 */
final class NewHeadsSubscription {

  private static final Logger log = LoggerFactory.getLogger(NewHeadsSubscription.class);
  private static final String SUBSCRIBE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}";

  private final Vertx vertx;
  private final Upstream upstream;
  private final String pluginId;
  private final long minBackoffMs;
  private final long maxBackoffMs;
  private final Runnable onHead;
  private final long timeoutMs;
  private final WebSocketClient client;
  private final UpstreamCounters counters;
  private final Promise<Void> firstAttempt = Promise.promise();
  private WebSocket socket;
  private long backoffMs;
  private boolean everSubscribed;
  private boolean stopped;

  NewHeadsSubscription(Vertx vertx, Upstream upstream, String pluginId, long timeoutMs, long minBackoffMs, long maxBackoffMs, Runnable onHead,
                       UpstreamCounters counters) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.pluginId = pluginId;
    this.timeoutMs = timeoutMs;
    this.minBackoffMs = minBackoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.onHead = onHead;
    this.counters = counters;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)));
    this.backoffMs = minBackoffMs;
  }

  /**
   * Connects and subscribes. Completes once the first attempt has an outcome (or after the timeout), never with a
   * failure: a worker whose node is up starts with its doorbell working, one whose node is down starts anyway.
   */
  Future<Void> start() {
    connect();
    return firstAttempt.future().timeout(timeoutMs, TimeUnit.MILLISECONDS).otherwiseEmpty();
  }

  void stop() {
    stopped = true;
    client.close();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    client.connect(connectOptions(URI.create(upstream.url()))).onComplete(connected -> {
      if (connected.failed()) {
        log.atDebug().addKeyValue("pluginId", pluginId).addKeyValue("url", upstream.label())
          .addKeyValue("error", upstream.redact(String.valueOf(connected.cause()))).log("newHeads connect failed");
        counters.error();
        firstAttempt.tryComplete();
        reconnectLater();
        return;
      }
      socket = connected.result();
      socket.textMessageHandler(this::handle);
      socket.closeHandler(closed -> {
        log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("url", upstream.label()).log("newHeads connection closed");
        if (!stopped) {
          counters.error();
        }
        firstAttempt.tryComplete();
        reconnectLater();
      });
      socket.writeTextMessage(SUBSCRIBE);
    });
  }

  private void handle(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException e) {
      log.atDebug().addKeyValue("pluginId", pluginId).addKeyValue("url", upstream.label()).log("newHeads sent non-JSON");
      return;
    }
    if ("eth_subscription".equals(message.getString("method"))) {
      onHead.run();
    } else if (message.containsKey("error")) {
      log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("url", upstream.label())
        .addKeyValue("error", upstream.redact(String.valueOf(message.getValue("error")))).log("newHeads refused");
      socket.close();
    } else if (message.containsKey("result")) {
      backoffMs = minBackoffMs;
      if (everSubscribed) {
        counters.reconnect();
      }
      everSubscribed = true;
      log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("url", upstream.label()).log("newHeads subscribed");
      firstAttempt.tryComplete();
    }
  }

  private void reconnectLater() {
    if (stopped) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
    vertx.setTimer(delay, id -> connect());
  }

  private static WebSocketConnectOptions connectOptions(URI uri) {
    boolean ssl = "wss".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return new WebSocketConnectOptions()
      .setHost(uri.getHost())
      .setPort(port)
      .setSsl(ssl)
      .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
  }
}
