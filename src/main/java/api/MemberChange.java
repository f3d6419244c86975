package api;

/**
 * Body of a {@link BusAddresses#MEMBERS} message: a cluster member (by Vert.x node id) joined or left. Published
 * JVM-locally by the launcher from Hazelcast's membership events, so that hubs and plugins react without depending on
 * Hazelcast.
 */
public record MemberChange(String nodeId, boolean joined) {
}
