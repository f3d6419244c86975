package api;

/**
 * The event-bus addresses of the contract between hubs, plugins and chain workers (DESIGN.md, "Event-bus contract").
 * Only {@link #plugin}, {@link #hub}, {@link #ANNOUNCE} and {@link #ANNOUNCE_REQUEST} cross the cluster; {@link #connection} is local to a hub JVM,
 * because a clustered registration per socket is slow, global and leaks route cache in every sender.
 */
public final class BusAddresses {

  /** Plugins and chain workers publish a {@link PluginAnnouncement} here when ready. */
  public static final String ANNOUNCE = "changeserver.plugins.announce";

  /** Publishing anything here makes every live plugin and chain worker announce itself again (a hub that starts). */
  public static final String ANNOUNCE_REQUEST = "changeserver.plugins.announce.request";

  /**
   * JVM-local: a {@link MemberChange} for each cluster member that joins or leaves, published by the launcher from
   * Hazelcast's membership events. Plugins drop the connections of a hub that left and re-announce themselves to a
   * member that joined; hubs forget the plugin instances of a member that left.
   */
  public static final String MEMBERS = "changeserver.cluster.members";

  /** Header naming the {@link Action} of a request sent to {@link #plugin}. */
  public static final String ACTION_HEADER = "action";

  private BusAddresses() {
  }

  /**
   * Request/reply address of one plugin instance for one pluginId. Every instance has its own, so that a hub sends
   * each address to the instance that owns it (rendezvous hashing, docs/ELASTIC-PLUGINS.md) and never round-robin.
   */
  public static String plugin(String pluginId, String instanceId) {
    return "changeserver.plugin." + pluginId + "." + instanceId;
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
