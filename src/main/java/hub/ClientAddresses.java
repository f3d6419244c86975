package hub;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a socket belongs to, for the per-address connection limit. {@code X-Forwarded-For} is believed only when the
 * peer itself is a configured trusted proxy (otherwise any client could claim any address); the client is then the
 * right-most address in that header that is not a trusted proxy. Shared by the hub verticles of one JVM.
 */
final class ClientAddresses implements Shareable {

  private static final String KEY = "changeserver.clientAddresses";

  private final Set<String> trustedProxies;
  private final int maxPerAddress;
  private final ConcurrentHashMap<String, Integer> connections = new ConcurrentHashMap<>();

  private ClientAddresses(Set<String> trustedProxies, int maxPerAddress) {
    this.trustedProxies = Set.copyOf(trustedProxies);
    this.maxPerAddress = maxPerAddress;
  }

  /** The one instance of this Vert.x instance (its settings come from the first hub verticle that asks). */
  static ClientAddresses of(Vertx vertx, Set<String> trustedProxies, int maxPerAddress) {
    return (ClientAddresses) vertx.sharedData().getLocalMap("changeserver")
      .computeIfAbsent(KEY, k -> new ClientAddresses(trustedProxies, maxPerAddress));
  }

  String clientOf(ServerWebSocket socket) {
    String peer = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    String forwarded = socket.headers().get("X-Forwarded-For");
    if (forwarded == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }

  /** Counts a new socket from {@code client}; false (and not counted) when that client is at its limit. */
  boolean tryOpen(String client) {
    boolean[] admitted = new boolean[1];
    connections.compute(client, (c, count) -> {
      int open = count == null ? 0 : count;
      if (open >= maxPerAddress) {
        return count;
      }
      admitted[0] = true;
      return open + 1;
    });
    return admitted[0];
  }

  void close(String client) {
    connections.computeIfPresent(client, (c, count) -> count <= 1 ? null : count - 1);
  }
}
