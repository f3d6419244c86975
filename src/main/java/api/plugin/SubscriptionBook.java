package api.plugin;

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
 */
public final class SubscriptionBook {

  /** normalised address → (connectionId → exact address as that connection sent it). */
  private final Map<String, Map<String, String>> byAddress = new HashMap<>();
  /** connectionId → its normalised addresses, to drop a closed connection without scanning every address. */
  private final Map<String, Set<String>> byConnection = new HashMap<>();
  private int subscriptions;

  /** Subscribes; idempotent (a repeat only refreshes the exact string). True when the address was not watched before. */
  public boolean add(String connectionId, String normalized, String exact) {
    Set<String> addresses = byConnection.get(connectionId);
    if (addresses == null) {
      addresses = new HashSet<>(4);
      byConnection.put(connectionId, addresses);
    }
    Map<String, String> subscribers = byAddress.get(normalized);
    boolean firstSubscriber = subscribers == null;
    if (firstSubscriber) {
      subscribers = new HashMap<>(2);
      byAddress.put(normalized, subscribers);
    }
    if (subscribers.put(connectionId, exact) == null) {
      addresses.add(normalized);
      subscriptions++;
    }
    return firstSubscriber;
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
    Map<String, String> subscribers = byAddress.remove(normalized);
    if (subscribers == null) {
      return Map.of();
    }
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

  /** connectionId → exact address of everyone subscribed to the address (a read-only view). */
  public Map<String, String> subscribers(String normalized) {
    Map<String, String> subscribers = byAddress.get(normalized);
    return subscribers == null ? Map.of() : Collections.unmodifiableMap(subscribers);
  }

  /** A snapshot of the watched addresses. */
  public List<String> addresses() {
    return new ArrayList<>(byAddress.keySet());
  }

  public boolean isWatched(String normalized) {
    return byAddress.containsKey(normalized);
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
    Map<String, String> subscribers = byAddress.get(normalized);
    if (subscribers == null || subscribers.remove(connectionId) == null) {
      return false;
    }
    subscriptions--;
    if (subscribers.isEmpty()) {
      byAddress.remove(normalized);
      return true;
    }
    return false;
  }
}
