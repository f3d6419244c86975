package plugins.blockbook.upstream;

import ops.UpstreamCounters;
import support.Backoff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one long-lived Blockbook connection open: reconnects with backoff whenever it drops and lets its owner set the
 * new connection up (subscribe again) before it counts as up. The reference never reconnected its address
 * connections, so every blip became a subLost; here the owner decides when a connection has been down too long.
 * Failed attempts and drops count as upstream errors, coming back up after being up before as a reconnect. Used from
 * one context.
 */
public final class UpstreamLink {

  /** What the owner of a link does with it. */
  public interface Owner {
    /** Sets a fresh connection up (subscriptions); the link counts as up once this succeeds. */
    Future<Void> connected(BlockbookSocket socket);

    /** The connection dropped, or an attempt to open or set one up failed; the link keeps trying. */
    void disconnected();
  }

  /** Creates the links of one chain (its connector and backoff settings). */
  @FunctionalInterface
  public interface Factory {
    UpstreamLink create(String role, Owner owner);
  }

  private static final Logger log = LoggerFactory.getLogger(UpstreamLink.class);

  private final Vertx vertx;
  private final Connector connector;
  private final Backoff backoff;
  private final String role;
  private final Owner owner;
  private final UpstreamCounters counters;
  private BlockbookSocket socket;
  private boolean connecting;
  private boolean stopped;
  private boolean everUp;
  private boolean retrying;
  private long retryTimer = -1;

  public UpstreamLink(Vertx vertx, Connector connector, Backoff backoff, String role, Owner owner, UpstreamCounters counters) {
    this.vertx = vertx;
    this.connector = connector;
    this.backoff = backoff;
    this.role = role;
    this.owner = owner;
    this.counters = counters;
  }

  /** The pluginId a link name starts with ({@code bitcoin/blocks} → {@code bitcoin}), for log fields. */
  public static String pluginIdOf(String link) {
    int slash = link.indexOf('/');
    return slash < 0 ? link : link.substring(0, slash);
  }

  public void start() {
    connect();
  }

  public void stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    if (socket != null) {
      socket.close();
    }
  }

  /** The open, set-up connection, or null while down. */
  public BlockbookSocket socket() {
    return socket;
  }

  /** Whether this link has been up at least once: a link that never came up has lost nothing. */
  public boolean everUp() {
    return everUp;
  }

  /** Whether the link is down after a failure (as opposed to making its first attempt). */
  public boolean retrying() {
    return retrying;
  }

  /**
   * Replaces the connection without a gap (its message budget is nearly spent): the new one is set up first, then the
   * old one closes. While down this is a no-op; reconnecting already gives a fresh connection.
   */
  public void renew() {
    BlockbookSocket old = socket;
    if (old == null || connecting) {
      return;
    }
    connecting = true;
    connector.open(role).compose(fresh -> owner.connected(fresh).map(fresh).onFailure(e -> fresh.close())).onComplete(result -> {
      connecting = false;
      if (result.succeeded() && !stopped) {
        adopt(result.result());
        old.close();
      } else if (result.succeeded()) {
        result.result().close();
      }
    });
  }

  private void connect() {
    if (stopped || connecting) {
      return;
    }
    connecting = true;
    connector.open(role).compose(fresh -> owner.connected(fresh).map(fresh).onFailure(e -> fresh.close())).onComplete(result -> {
      connecting = false;
      if (stopped) {
        if (result.succeeded()) {
          result.result().close();
        }
      } else if (result.succeeded()) {
        backoff.reset();
        adopt(result.result());
      } else {
        log.atDebug().addKeyValue("pluginId", pluginIdOf(role)).addKeyValue("link", role).addKeyValue("error", result.cause().toString())
          .log("upstream connect failed");
        counters.error();
        retrying = true;
        owner.disconnected();
        retryLater();
      }
    });
  }

  private void adopt(BlockbookSocket fresh) {
    if (socket == null) {
      log.atInfo().addKeyValue("pluginId", pluginIdOf(role)).addKeyValue("link", role).addKeyValue("url", fresh.url()).log("upstream up");
    }
    if (everUp && retrying) {
      counters.reconnect();
    }
    everUp = true;
    retrying = false;
    socket = fresh;
    fresh.closeFuture().onComplete(v -> {
      if (socket == fresh) {
        socket = null;
        if (!stopped) {
          log.atInfo().addKeyValue("pluginId", pluginIdOf(role)).addKeyValue("link", role).addKeyValue("url", fresh.url())
            .log("upstream down: reconnecting");
          counters.error();
          retrying = true;
          owner.disconnected();
          retryLater();
        }
      }
    });
  }

  private void retryLater() {
    retryTimer = vertx.setTimer(backoff.nextDelayMs(), t -> {
      retryTimer = -1;
      connect();
    });
  }
}
