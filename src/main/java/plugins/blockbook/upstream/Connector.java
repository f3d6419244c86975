package plugins.blockbook.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Opens {@link BlockbookSocket}s to one chain's upstreams. A failed attempt moves on to the next URL, so several URLs
 * give failover. Attempts are spaced so that at most {@code attemptsPerMinute} leave per minute: Blockbook allows 64
 * per IP per minute, and rotating scan connections plus a mass reconnect could exceed it. Used from one context.
 */
public final class Connector {

  private static final long MINUTE_MS = 60_000;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final List<UpstreamUrl> urls;
  private final SocketSettings settings;
  private final int attemptsPerMinute;
  private final List<Long> attempts = new ArrayList<>();
  private int current;

  public Connector(Vertx vertx, WebSocketClient client, List<UpstreamUrl> urls, SocketSettings settings, int attemptsPerMinute) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no upstream URL");
    }
    this.vertx = vertx;
    this.client = client;
    this.urls = urls;
    this.settings = settings;
    this.attemptsPerMinute = attemptsPerMinute;
  }

  /** Opens a connection to the current URL (after waiting for a free attempt slot); a failure advances the URL. */
  public Future<BlockbookSocket> open(String role) {
    long wait = reserveAttempt();
    if (wait <= 0) {
      return connect(role);
    }
    Promise<BlockbookSocket> opened = Promise.promise();
    vertx.setTimer(wait, t -> connect(role).onComplete(opened));
    return opened.future();
  }

  private Future<BlockbookSocket> connect(String role) {
    UpstreamUrl url = urls.get(current);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url.url());
    return client.connect(options)
      .map(webSocket -> new BlockbookSocket(vertx, webSocket, settings, role, url.redacted()))
      .recover(failure -> {
        current = (current + 1) % urls.size();
        // Described without anything that could carry the key (an upgrade refusal may quote the URL).
        return Future.failedFuture(new VertxException("connect to " + url.redacted() + " failed: " + url.redact(String.valueOf(failure)), true));
      });
  }

  /** Books the next attempt slot; returns how long to wait for it. */
  private long reserveAttempt() {
    long now = System.currentTimeMillis();
    attempts.removeIf(time -> time <= now - MINUTE_MS);
    int size = attempts.size();
    long at = size < attemptsPerMinute ? now : Math.max(now, attempts.get(size - attemptsPerMinute) + MINUTE_MS);
    attempts.add(at);
    return at - now;
  }
}
