package plugins.blockbook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import plugins.blockbook.upstream.UpstreamLink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
  private int created;

  AddressPool(Vertx vertx, UpstreamLink.Factory links, String pluginId, int maxPerConnection, boolean newBlockTxs, long lostAfterMs,
              AddressEvents events) {
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
    AddressConnection connection = connections.stream().filter(c -> c.size() < maxPerConnection).findFirst().orElseGet(this::open);
    connection.add(address);
    byAddress.put(address, connection);
  }

  void unwatch(String address) {
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

  /** Completes once the address's connection has its current set acknowledged; fails while it is down. */
  Future<Void> synced(String address) {
    AddressConnection connection = byAddress.get(address);
    return connection == null ? Future.failedFuture("not watched") : connection.synced();
  }

  void stop() {
    connections.forEach(AddressConnection::stop);
    connections.clear();
    byAddress.clear();
  }

  private AddressConnection open() {
    String role = pluginId + "/addresses#" + created++;
    AddressConnection connection = new AddressConnection(vertx, links, role, newBlockTxs, lostAfterMs, events);
    connections.add(connection);
    connection.start();
    return connection;
  }
}
