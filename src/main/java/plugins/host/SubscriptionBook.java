package plugins.host;

import api.NodeIds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reference-counted subscription state of one pluginId: normalised address → connections, each with the exact string
 * it subscribed with. An address is watched upstream while it has at least one subscriber; the boolean and list
 * results tell the caller when to start or stop that watch. Not thread-safe: used from one context.
 *
 * <p>Most addresses have one subscriber, so that case is stored as one small {@link Single} instead of a map: about
 * 100 bytes less per subscription.
 */
public final class SubscriptionBook {

  /** The only subscriber of an address. */
  private record Single(String connectionId, String exact) {
  }

  /** normalised address → {@link Single}, or a map connectionId → exact address once there are several. */
  private final Map<String, Object> byAddress = new HashMap<>();
  /** connectionId → its normalised addresses, to drop a closed connection without scanning every address. */
  private final Map<String, Set<String>> byConnection = new HashMap<>();
  private int subscriptions;

  /** Subscribes; idempotent (a repeat only refreshes the exact string). True when the address was not watched before. */
  public boolean add(String connectionId, String normalized, String exact) {
    Object current = byAddress.get(normalized);
    boolean added;
    if (current == null) {
      byAddress.put(normalized, new Single(connectionId, exact));
      added = true;
    } else if (current instanceof Single single) {
      if (single.connectionId().equals(connectionId)) {
        byAddress.put(normalized, new Single(single.connectionId(), exact));
        added = false;
      } else {
        Map<String, String> several = new HashMap<>(4);
        several.put(single.connectionId(), single.exact());
        several.put(connectionId, exact);
        byAddress.put(normalized, several);
        added = true;
      }
    } else {
      added = severalOf(current).put(connectionId, exact) == null;
    }
    if (added) {
      byConnection.computeIfAbsent(connectionId, c -> new HashSet<>(4)).add(normalized);
      subscriptions++;
    }
    return current == null;
  }

  /** Unsubscribes; unknown pairs are ignored. True when the address lost its last subscriber. */
  public boolean remove(String connectionId, String normalized) {
    Set<String> addresses = byConnection.get(connectionId);
    if (addresses == null || !addresses.remove(normalized)) {
      return false;
    }
    if (addresses.isEmpty()) {
      byConnection.remove(connectionId);
    }
    return detach(connectionId, normalized);
  }

  /** Drops every subscription of a connection; returns the addresses that lost their last subscriber. */
  public List<String> removeConnection(String connectionId) {
    Set<String> addresses = byConnection.remove(connectionId);
    if (addresses == null) {
      return List.of();
    }
    List<String> unwatched = new ArrayList<>();
    for (String normalized : addresses) {
      if (detach(connectionId, normalized)) {
        unwatched.add(normalized);
      }
    }
    return unwatched;
  }

  /** Drops every connection of a hub node (it left the cluster); returns the addresses no longer watched. */
  public List<String> removeHub(String hubNodeId) {
    List<String> connections = new ArrayList<>();
    for (String connectionId : byConnection.keySet()) {
      if (NodeIds.hubOf(connectionId).equals(hubNodeId)) {
        connections.add(connectionId);
      }
    }
    List<String> unwatched = new ArrayList<>();
    for (String connectionId : connections) {
      unwatched.addAll(removeConnection(connectionId));
    }
    return unwatched;
  }

  /** Drops an address with all its subscribers; returns connectionId → exact address of those dropped. */
  public Map<String, String> removeAddress(String normalized) {
    Map<String, String> subscribers = subscribers(normalized);
    byAddress.remove(normalized);
    for (String connectionId : subscribers.keySet()) {
      Set<String> addresses = byConnection.get(connectionId);
      addresses.remove(normalized);
      if (addresses.isEmpty()) {
        byConnection.remove(connectionId);
      }
    }
    subscriptions -= subscribers.size();
    return subscribers;
  }

  /** Whether the connection is subscribed to the address. */
  public boolean has(String connectionId, String normalized) {
    Object current = byAddress.get(normalized);
    if (current instanceof Single single) {
      return single.connectionId().equals(connectionId);
    }
    return current != null && severalOf(current).containsKey(connectionId);
  }

  /** connectionId → exact address of everyone subscribed to the address (read-only). */
  public Map<String, String> subscribers(String normalized) {
    Object current = byAddress.get(normalized);
    if (current == null) {
      return Map.of();
    }
    if (current instanceof Single single) {
      return Map.of(single.connectionId(), single.exact());
    }
    return Collections.unmodifiableMap(severalOf(current));
  }

  /** A snapshot of the watched addresses. */
  public List<String> addresses() {
    return new ArrayList<>(byAddress.keySet());
  }

  public int watchedAddresses() {
    return byAddress.size();
  }

  public int subscriptions() {
    return subscriptions;
  }

  public int connections() {
    return byConnection.size();
  }

  private boolean detach(String connectionId, String normalized) {
    Object current = byAddress.get(normalized);
    if (current instanceof Single single) {
      if (!single.connectionId().equals(connectionId)) {
        return false;
      }
      byAddress.remove(normalized);
      subscriptions--;
      return true;
    }
    if (current == null) {
      return false;
    }
    Map<String, String> several = severalOf(current);
    if (several.remove(connectionId) == null) {
      return false;
    }
    subscriptions--;
    if (several.size() == 1) {
      Map.Entry<String, String> last = several.entrySet().iterator().next();
      byAddress.put(normalized, new Single(last.getKey(), last.getValue()));
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> severalOf(Object value) {
    return (Map<String, String>) value;
  }
}
