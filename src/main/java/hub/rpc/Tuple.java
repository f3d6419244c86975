package hub.rpc;

/** One {@code [pluginId, address, checkpoint?]} entry of a subscribe or unsubscribe call; checkpoint may be null. */
public record Tuple(String pluginId, String address, String checkpoint) {
}
