package api;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node and connection identities. A connectionId begins with {@code <hubNodeId>.}, so a plugin can tell which hub to
 * send a socket's events to, and drop every connection of a hub that left the cluster.
 */
public final class NodeIds {

  private static final String LOCAL_NODE_KEY = "changeserver.localNodeId";
  private static final AtomicLong CONNECTION_SEQUENCE = new AtomicLong();

  private NodeIds() {
  }

  /** The cluster node id of this Vert.x instance, or a stable random id when it is not clustered. */
  public static String of(Vertx vertx) {
    if (vertx.isClustered()) {
      return ((VertxInternal) vertx).clusterManager().getNodeId();
    }
    return (String) vertx.sharedData().getLocalMap("changeserver").computeIfAbsent(LOCAL_NODE_KEY, k -> UUID.randomUUID().toString());
  }

  /** The host this member's event bus is reached at (its machine, for operators), or "local" when not clustered. */
  public static String hostOf(Vertx vertx) {
    if (vertx.isClustered()) {
      return ((VertxInternal) vertx).clusterManager().getNodeInfo().host();
    }
    return "local";
  }

  /**
   * A connectionId unique across the cluster: {@code <hubNodeId>.<client>-<sequence>}, where {@code client} is the hub's
   * number for the socket's client address (never the address itself), so that a plugin can serve clients in turn.
   */
  public static String newConnectionId(String hubNodeId, long clientSerial) {
    return hubNodeId + "." + Long.toString(clientSerial, 36) + "-" + Long.toString(CONNECTION_SEQUENCE.incrementAndGet(), 36);
  }

  /** The node id of the hub that owns {@code connectionId} (or a {@link #clientOf} key). */
  public static String hubOf(String connectionId) {
    return connectionId.substring(0, connectionId.lastIndexOf('.'));
  }

  /**
   * The client a connection belongs to, {@code <hubNodeId>.<client>}: one key for all the sockets of one client address
   * on one hub. A connectionId of another shape is its own client.
   */
  public static String clientOf(String connectionId) {
    int dash = connectionId.lastIndexOf('-');
    return dash > connectionId.lastIndexOf('.') ? connectionId.substring(0, dash) : connectionId;
  }
}
