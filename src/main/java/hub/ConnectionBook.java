package hub;

import hub.routing.PluginInstance;

import java.util.HashMap;
import java.util.Map;

/**
 * What one socket subscribed: pluginId → exact address → {@link Held} (last known checkpoint, the plugin instance it
 * was sent to). The hub knows nothing about chains, so addresses are kept exactly as the client sent them. Used to skip
 * unsubscribes of unknown pairs, to send unsubscribes where the subscription is, to drop events that arrive after an
 * unsubscribe, and to move subscriptions when instances come and go.
 */
final class ConnectionBook {

  /** One subscription's state on the hub. Mutable, one per pair: ~24 bytes. */
  static final class Held {
    /** The client's checkpoint, then each update's; null when unknown. */
    String checkpoint;
    /** The instance it was last sent to; null while no instance has it (none was up). */
    PluginInstance owner;
    /** Requests for it not answered yet: a move leaves it alone meanwhile. */
    int inFlight;

    Held(String checkpoint) {
      this.checkpoint = checkpoint;
    }
  }

  private final Map<String, Map<String, Held>> byPlugin = new HashMap<>();
  private final HubStats stats;
  private final ClientAddresses.Client client;
  private int size;

  /** {@code client}: the socket's client address, whose subscription budget this book counts against. */
  ConnectionBook(HubStats stats, ClientAddresses.Client client) {
    this.stats = stats;
    this.client = client;
  }

  /** Books a pair (or refreshes its checkpoint) and returns its state. */
  Held hold(String pluginId, String address, String checkpoint) {
    Map<String, Held> addresses = byPlugin.computeIfAbsent(pluginId, p -> new HashMap<>());
    Held held = addresses.get(address);
    if (held == null) {
      held = new Held(checkpoint);
      addresses.put(address, held);
      size++;
      client.subscriptionsChanged(1);
      stats.subscriptions(pluginId, 1);
    } else {
      held.checkpoint = checkpoint;
    }
    return held;
  }

  boolean contains(String pluginId, String address) {
    return get(pluginId, address) != null;
  }

  /** The pair's state, or null when it is not booked. */
  Held get(String pluginId, String address) {
    Map<String, Held> addresses = byPlugin.get(pluginId);
    return addresses == null ? null : addresses.get(address);
  }

  /** Records the height of an update; mempool updates (null) keep the previous checkpoint. */
  void advance(String pluginId, String address, String checkpoint) {
    Held held = get(pluginId, address);
    if (checkpoint != null && held != null) {
      held.checkpoint = checkpoint;
    }
  }

  /** Forgets a pair; returns its last state, or null when it was not booked. */
  Held remove(String pluginId, String address) {
    Map<String, Held> addresses = byPlugin.get(pluginId);
    Held held = addresses == null ? null : addresses.remove(address);
    if (held == null) {
      return null;
    }
    size--;
    client.subscriptionsChanged(-1);
    stats.subscriptions(pluginId, -1);
    if (addresses.isEmpty()) {
      byPlugin.remove(pluginId);
    }
    return held;
  }

  /** Forgets everything (the socket closed), keeping the JVM's counters right. */
  void clear() {
    byPlugin.forEach((pluginId, addresses) -> stats.subscriptions(pluginId, -addresses.size()));
    byPlugin.clear();
    client.subscriptionsChanged(-size);
    size = 0;
  }

  /** address → state for one pluginId (a live view; empty when none). */
  Map<String, Held> addresses(String pluginId) {
    return byPlugin.getOrDefault(pluginId, Map.of());
  }

  int size() {
    return size;
  }
}
