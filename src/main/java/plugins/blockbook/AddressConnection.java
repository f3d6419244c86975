package plugins.blockbook;

import api.Redact;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import plugins.blockbook.upstream.BlockbookException;
import plugins.blockbook.upstream.BlockbookSocket;
import plugins.blockbook.upstream.UpstreamLink;
import support.Backoff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One upstream connection watching a set of addresses. Blockbook's {@code subscribeAddresses} replaces the
 * connection's whole set, so every change re-sends the full list (changes made in one event-loop turn go out as one
 * message), and an emptied set is sent as {@code unsubscribeAddresses}, never as an empty list. One call is in flight
 * at a time: Blockbook runs requests concurrently, so two overlapping calls could apply in either order and leave the
 * older set in place. On every connect it asks the server's version ({@code getInfo}): {@code newBlockTxs} is asked
 * only of servers that know it (v0.6.0 on; older ones ignore it and would notify no confirmation). Addresses the server
 * refuses are dropped from the set and reported ({@link SetSubscriber}); one a server had accepted before is reported
 * lost too, since its wallets were told it is watched. Used from one context.
 */
final class AddressConnection implements UpstreamLink.Owner {

  private static final Logger log = LoggerFactory.getLogger(AddressConnection.class);
  /** Renew the connection when fewer messages than this remain in its budget. */
  private static final int BUDGET_RESERVE = 10;

  private final Vertx vertx;
  /** This connection's name, e.g. {@code bitcoin/addresses#0}. */
  private final String role;
  private final UpstreamLink link;
  private final boolean newBlockTxs;
  private final long lostAfterMs;
  private final AddressEvents events;
  private final Consumer<String> refused;
  private final Set<String> addresses = new LinkedHashSet<>();
  private final Handler<JsonObject> notifications = this::notified;
  private final SetSubscriber subscriber;
  /** What the server has accepted on the current connection (never suspected when a later set is refused). */
  private Set<String> accepted = Set.of();
  /** Addresses of the set that a server has accepted on this or an earlier connection: their wallets were told "watched". */
  private final Set<String> everAccepted = new HashSet<>();
  /** Whether the current connection's server knows {@code newBlockTxs}. */
  private boolean newBlockTxsHere;
  /** Bumped by every change; {@link #syncedVersion} is the last one Blockbook acknowledged on the current connection. */
  private long version;
  private long syncedVersion = -1;
  /** The connection a subscribe call is in flight on, if any. */
  private BlockbookSocket sendingOn;
  private boolean flushScheduled;
  /** A fresh connection is being subscribed: changes wait for it rather than go to the one it replaces. */
  private boolean settingUp;
  private Promise<Void> nextSync = Promise.promise();
  private long lostTimer = -1;
  private long heightWhenDown = -1;

  /** {@code refused}: told of each address the server refuses (already dropped from this connection's set). */
  AddressConnection(Vertx vertx, UpstreamLink.Factory links, String role, boolean newBlockTxs, long lostAfterMs, AddressEvents events,
                    Consumer<String> refused, Backoff backoff) {
    this.vertx = vertx;
    this.newBlockTxs = newBlockTxs;
    this.lostAfterMs = lostAfterMs;
    this.events = events;
    this.refused = refused;
    this.role = role;
    this.subscriber = new SetSubscriber(vertx, notifications, backoff);
    this.link = links.create(role, this);
  }

  void start() {
    link.start();
  }

  void add(String address) {
    if (addresses.add(address)) {
      changed();
    }
  }

  void remove(String address) {
    everAccepted.remove(address);
    if (addresses.remove(address)) {
      changed();
    }
  }

  int size() {
    return addresses.size();
  }

  /** The addresses currently assigned to this connection (a copy). */
  List<String> addresses() {
    return new ArrayList<>(addresses);
  }

  /**
   * Completes once Blockbook has acknowledged the set as it is now. Fails at once while the connection is down after a
   * failure, but waits for a connection still making its first attempt.
   */
  Future<Void> synced() {
    if (link.socket() == null && link.retrying()) {
      return Future.failedFuture("upstream down");
    }
    return syncedVersion == version ? Future.succeededFuture() : nextSync.future();
  }

  void stop() {
    if (lostTimer >= 0) {
      vertx.cancelTimer(lostTimer);
    }
    link.stop();
    nextSync.tryFail("stopped");
  }

  @Override
  public Future<Void> connected(BlockbookSocket socket) {
    boolean resuming = link.socket() == null && link.everUp();
    settingUp = true;
    accepted = Set.of();
    return serverVersion(socket).compose(serverVersion -> {
      newBlockTxsHere = newBlockTxs && ServerVersion.knowsNewBlockTxs(serverVersion);
      log.atDebug().addKeyValue("pluginId", UpstreamLink.pluginIdOf(role)).addKeyValue("link", role).addKeyValue("version", serverVersion)
        .addKeyValue("newBlockTxs", newBlockTxsHere).log("upstream version");
      return send(socket);
    }).onComplete(v -> settingUp = false).onSuccess(sent -> {
      acknowledged(sent);
      if (lostTimer >= 0) {
        vertx.cancelTimer(lostTimer);
        lostTimer = -1;
      }
      if (resuming) {
        events.resumed(addresses(), heightWhenDown);
      }
      // Changes made while this connection was being set up go out once it is adopted.
      vertx.runOnContext(x -> flush());
    }).mapEmpty();
  }

  /** The server's version from {@code getInfo}; null when it does not say (then {@code newBlockTxs} is asked anyway). */
  private Future<String> serverVersion(BlockbookSocket socket) {
    return socket.request("getInfo", new JsonObject()).map(info -> info.getString("version")).otherwise((String) null);
  }

  /** Waiting scans answer 2 now; an outage of a connection that was up starts the subLost clock once. */
  @Override
  public void disconnected() {
    syncedVersion = -1;
    Promise<Void> waiting = nextSync;
    nextSync = Promise.promise();
    waiting.tryFail("upstream down");
    if (link.everUp() && lostTimer < 0) {
      heightWhenDown = events.lastHeight();
      lostTimer = vertx.setTimer(lostAfterMs, t -> {
        lostTimer = -1;
        if (link.socket() == null && !addresses.isEmpty()) {
          log.atWarn().addKeyValue("pluginId", UpstreamLink.pluginIdOf(role)).addKeyValue("link", role).addKeyValue("lostAfterMs", lostAfterMs)
            .addKeyValue("addresses", addresses.size())
            .log("upstream down past lostAfterMs: addresses lost");
          events.lost(addresses());
        }
      });
    }
  }

  private void changed() {
    version++;
    if (!flushScheduled) {
      flushScheduled = true;
      vertx.runOnContext(v -> {
        flushScheduled = false;
        flush();
      });
    }
  }

  private void flush() {
    BlockbookSocket socket = link.socket();
    if (socket == null || settingUp || sendingOn == socket || syncedVersion == version) {
      return;
    }
    if (socket.budgetLeft() < BUDGET_RESERVE) {
      link.renew();
      return;
    }
    sendingOn = socket;
    long sent = version;
    send(socket).onComplete(result -> {
      sendingOn = null;
      if (link.socket() != socket) {
        return;
      }
      if (result.succeeded()) {
        acknowledged(result.result());
      } else if (result.cause() instanceof BlockbookException e && e.kind() == BlockbookException.Kind.SERVER_ERROR) {
        // Refused for no address's fault ("addresses max N", or still overloaded after the retries): give up on this
        // version until the next change.
        log.atWarn().addKeyValue("pluginId", UpstreamLink.pluginIdOf(role)).addKeyValue("link", role).addKeyValue("addresses", addresses.size())
          .addKeyValue("error", e.getMessage())
          .log("upstream refused an address set");
        syncedVersion = sent;
        Promise<Void> failed = nextSync;
        nextSync = Promise.promise();
        failed.fail(e);
        return;
      }
      flush();
    });
  }

  /**
   * Sends the set as it is now; completes with the version sent once the server holds it, the addresses it refused
   * dropped from the set (and reported) first, so that a scan waiting on this version sees them refused.
   */
  private Future<Long> send(BlockbookSocket socket) {
    long sent = version;
    List<String> set = new ArrayList<>(addresses);
    return subscriber.send(socket, set, accepted, newBlockTxsHere).map(outcome -> {
      Set<String> good = new LinkedHashSet<>(set);
      good.removeAll(outcome.refused());
      if (link.socket() == null || link.socket() == socket) {
        accepted = good;
        everAccepted.addAll(good);
      }
      List<String> lost = new ArrayList<>();
      for (String address : outcome.refused()) {
        addresses.remove(address);
        log.atInfo().addKeyValue("pluginId", UpstreamLink.pluginIdOf(role)).addKeyValue("link", role)
          .addKeyValue("address", Redact.address(address)).log("upstream refused an address");
        refused.accept(address);
        if (everAccepted.remove(address)) {
          lost.add(address);
        }
      }
      // Refused after it was watched (a reconnect to a server that parses addresses otherwise, an upgrade): its wallets
      // were answered as watched, so they are told to subscribe again, and then get 0.
      if (!lost.isEmpty()) {
        events.lost(lost);
      }
      return sent;
    });
  }

  private void acknowledged(long sent) {
    syncedVersion = sent;
    if (sent == version) {
      Promise<Void> done = nextSync;
      nextSync = Promise.promise();
      done.complete();
    }
  }

  private void notified(JsonObject data) {
    String address = data.getString("address");
    JsonObject tx = data.getJsonObject("tx");
    if (address != null && tx != null) {
      events.addressTx(address, tx);
    }
  }
}
