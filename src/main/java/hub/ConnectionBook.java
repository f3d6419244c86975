package hub;

import java.util.HashMap;
import java.util.Map;

/**
 * What one socket subscribed: pluginId → exact address → last known checkpoint (the client's, then each update's;
 * null when unknown). The hub knows nothing about chains, so addresses are kept exactly as the client sent them.
 * Used to skip unsubscribes of unknown pairs, to drop events that arrive after an unsubscribe, and for replay.
 */
final class ConnectionBook {

  private final Map<String, Map<String, String>> byPlugin = new HashMap<>();
  private final HubStats stats;
  private int size;

  ConnectionBook(HubStats stats) {
    this.stats = stats;
  }

  void put(String pluginId, String address, String checkpoint) {
    Map<String, String> addresses = byPlugin.computeIfAbsent(pluginId, p -> new HashMap<>());
    if (!addresses.containsKey(address)) {
      size++;
      stats.subscriptions(pluginId, 1);
    }
    addresses.put(address, checkpoint);
  }

  boolean contains(String pluginId, String address) {
    Map<String, String> addresses = byPlugin.get(pluginId);
    return addresses != null && addresses.containsKey(address);
  }

  /** Records the height of an update; mempool updates (null) keep the previous checkpoint. */
  void advance(String pluginId, String address, String checkpoint) {
    Map<String, String> addresses = byPlugin.get(pluginId);
    if (checkpoint != null && addresses != null && addresses.containsKey(address)) {
      addresses.put(address, checkpoint);
    }
  }

  boolean remove(String pluginId, String address) {
    Map<String, String> addresses = byPlugin.get(pluginId);
    if (addresses == null || !addresses.containsKey(address)) {
      return false;
    }
    addresses.remove(address);
    size--;
    stats.subscriptions(pluginId, -1);
    if (addresses.isEmpty()) {
      byPlugin.remove(pluginId);
    }
    return true;
  }

  /** Forgets everything (the socket closed), keeping the JVM's counters right. */
  void clear() {
    byPlugin.forEach((pluginId, addresses) -> stats.subscriptions(pluginId, -addresses.size()));
    byPlugin.clear();
    size = 0;
  }

  /** address → last known checkpoint for one pluginId (a live view; empty when none). */
  Map<String, String> addresses(String pluginId) {
    return byPlugin.getOrDefault(pluginId, Map.of());
  }

  int size() {
    return size;
  }
}
