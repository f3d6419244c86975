package plugins.blockbook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import plugins.blockbook.upstream.UpstreamLink;
import support.Backoff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Spreads one chain's watched addresses over {@link AddressConnection}s of at most {@code maxPerConnection} each
 * (Blockbook refuses more than 1000 per connection, 100 with {@code newBlockTxs}). A connection that empties is closed
 * unless it is the last one, which stays open, unsubscribed, for the next address. Used from one context.
 */
final class AddressPool {

  private final Vertx vertx;
  private final UpstreamLink.Factory links;
  private final String pluginId;
  private final int maxPerConnection;
  private final boolean newBlockTxs;
  private final long lostAfterMs;
  private final AddressEvents events;
  private final List<AddressConnection> connections = new ArrayList<>();
  private final Map<String, AddressConnection> byAddress = new HashMap<>();
  /** Watched addresses the server refused: their scans answer 0 until they are watched again. */
  private final Set<String> refused = new HashSet<>();
  private final Supplier<Backoff> backoffs;
  private int created;

  AddressPool(Vertx vertx, UpstreamLink.Factory links, String pluginId, int maxPerConnection, boolean newBlockTxs, long lostAfterMs,
              AddressEvents events, Supplier<Backoff> backoffs) {
    this.backoffs = backoffs;
    this.vertx = vertx;
    this.links = links;
    this.pluginId = pluginId;
    this.maxPerConnection = maxPerConnection;
    this.newBlockTxs = newBlockTxs;
    this.lostAfterMs = lostAfterMs;
    this.events = events;
  }

  void watch(String address) {
    if (byAddress.containsKey(address)) {
      return;
    }
    // Watched again (after a 0): the server may accept it now, a newer one for instance.
    refused.remove(address);
    AddressConnection connection = connections.stream().filter(c -> c.size() < maxPerConnection).findFirst().orElseGet(this::open);
    connection.add(address);
    byAddress.put(address, connection);
  }

  void unwatch(String address) {
    refused.remove(address);
    AddressConnection connection = byAddress.remove(address);
    if (connection == null) {
      return;
    }
    connection.remove(address);
    if (connection.size() == 0 && connections.size() > 1) {
      connections.remove(connection);
      connection.stop();
    }
  }

  /**
   * Completes once the address's connection has its current set acknowledged; fails while it is down, and with
   * {@link Refused} when the server refused the address.
   */
  Future<Void> synced(String address) {
    if (refused.contains(address)) {
      return Future.failedFuture(new Refused());
    }
    AddressConnection connection = byAddress.get(address);
    if (connection == null) {
      return Future.failedFuture("not watched");
    }
    // Refused meanwhile, or refused after it had been watched and reported lost (which unwatched it): not watched.
    return connection.synced().compose(v -> refused.contains(address) || !byAddress.containsKey(address)
      ? Future.failedFuture(new Refused()) : Future.succeededFuture());
  }

  /** The server refused the address: it stays booked (its subscribers are answered 0 and release it), not watched. */
  static final class Refused extends RuntimeException {
    Refused() {
      super("refused by the upstream server", null, false, false);
    }
  }

  void stop() {
    connections.forEach(AddressConnection::stop);
    connections.clear();
    byAddress.clear();
  }

  private AddressConnection open() {
    String role = pluginId + "/addresses#" + created++;
    AddressConnection connection = new AddressConnection(vertx, links, role, newBlockTxs, lostAfterMs, events, refused::add, backoffs.get());
    connections.add(connection);
    connection.start();
    return connection;
  }
}
