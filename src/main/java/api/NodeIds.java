package api;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node and connection identities. A connectionId is {@code <hubNodeId>.<sequence>}, so a plugin can tell which hub
 * to send a socket's events to, and drop every connection of a hub that left the cluster.
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

  /** A connectionId unique across the cluster, beginning with its hub's node id. */
  public static String newConnectionId(String hubNodeId) {
    return hubNodeId + "." + Long.toString(CONNECTION_SEQUENCE.incrementAndGet(), 36);
  }

  /** The node id of the hub that owns {@code connectionId}. */
  public static String hubOf(String connectionId) {
    return connectionId.substring(0, connectionId.lastIndexOf('.'));
  }
}
