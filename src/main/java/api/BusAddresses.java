package api;

/**
 * The event-bus addresses of the contract between hubs, plugins and chain workers (DESIGN.md, "Event-bus contract").
 * Only {@link #plugin}, {@link #hub} and {@link #ANNOUNCE} cross the cluster; {@link #connection} is local to a hub JVM,
 * because a clustered registration per socket is slow, global and leaks route cache in every sender.
 */
public final class BusAddresses {

  /** Plugins and chain workers publish a {@link PluginAnnouncement} here when ready. */
  public static final String ANNOUNCE = "changeserver.plugins.announce";

  /** Publishing anything here makes every live plugin and chain worker announce itself again (a hub that starts). */
  public static final String ANNOUNCE_REQUEST = "changeserver.plugins.announce.request";

  /**
   * JVM-local: {@code {nodeId}} of a cluster member that left, published by the launcher from Hazelcast's membership
   * events, so that plugins can drop the connections of a hub that is gone without depending on Hazelcast.
   */
  public static final String NODE_LEFT = "changeserver.cluster.nodeLeft";

  /** Header naming the {@link Action} of a request sent to {@link #plugin}. */
  public static final String ACTION_HEADER = "action";

  private BusAddresses() {
  }

  /** Request/reply address served by whichever JVM serves {@code pluginId}. */
  public static String plugin(String pluginId) {
    return "changeserver.plugin." + pluginId;
  }

  /** One clustered consumer per hub JVM, receiving {@link EventBatch}es for that hub's sockets. */
  public static String hub(String hubNodeId) {
    return "changeserver.hub." + hubNodeId;
  }

  /** Local consumer of one socket inside its hub JVM. */
  public static String connection(String connectionId) {
    return "changeserver.conn." + connectionId;
  }
}
