package hub.routing;

import java.util.List;

/**
 * The instances of one pluginId at one moment, as a hub sees them: {@code up} ones own addresses; all of them
 * ({@code up} and draining) still hold what they were given. Immutable; a new view has a higher version.
 */
public record PluginView(String pluginId, long version, List<PluginInstance> up, List<PluginInstance> all) {

  public boolean served() {
    return !up.isEmpty();
  }

  /** The instance that owns {@code address}, or null while no instance is up. */
  public PluginInstance ownerOf(String address) {
    return up.isEmpty() ? null : Rendezvous.owner(up, address);
  }
}
