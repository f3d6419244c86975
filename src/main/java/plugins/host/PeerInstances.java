package plugins.host;

import api.InstanceState;
import api.PluginAnnouncement;

import java.util.HashMap;
import java.util.Map;

/**
 * The other instances a plugin instance has heard announce themselves, so that a drain knows whether anyone can take
 * its addresses over (with nobody to move them to, waiting would only delay the stop). Used from one context.
 */
final class PeerInstances {

  private final String self;
  private final Map<String, PluginAnnouncement> byInstanceId = new HashMap<>();

  PeerInstances(String selfInstanceId) {
    this.self = selfInstanceId;
  }

  void announced(PluginAnnouncement announcement) {
    if (announcement.instanceId().equals(self)) {
      return;
    }
    if (announcement.state() == InstanceState.GONE) {
      byInstanceId.remove(announcement.instanceId());
    } else {
      byInstanceId.put(announcement.instanceId(), announcement);
    }
  }

  void nodeLeft(String nodeId) {
    byInstanceId.values().removeIf(announcement -> announcement.nodeId().equals(nodeId));
  }

  boolean anotherIsUp(String pluginId) {
    return byInstanceId.values().stream()
      .anyMatch(peer -> peer.state() == InstanceState.UP && peer.pluginIds().contains(pluginId));
  }
}
