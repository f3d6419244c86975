package hub;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one hub JVM, shared by its hub verticle instances and read by the admin endpoint. */
public final class HubStats implements Shareable {

  private static final String KEY = "changeserver.hubStats";

  private final AtomicInteger connections = new AtomicInteger();
  private final Map<String, LongAdder> subscriptionsByPluginId = new ConcurrentHashMap<>();

  /** The one instance of this Vert.x instance. */
  public static HubStats of(Vertx vertx) {
    return (HubStats) vertx.sharedData().getLocalMap("changeserver").computeIfAbsent(KEY, k -> new HubStats());
  }

  void connectionOpened() {
    connections.incrementAndGet();
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }

  void subscriptions(String pluginId, int delta) {
    subscriptionsByPluginId.computeIfAbsent(pluginId, p -> new LongAdder()).add(delta);
  }

  public int connections() {
    return connections.get();
  }

  public long subscriptions(String pluginId) {
    LongAdder count = subscriptionsByPluginId.get(pluginId);
    return count == null ? 0 : count.sum();
  }

  /** pluginIds this hub's sockets have subscribed to at some point. */
  public Set<String> pluginIds() {
    return subscriptionsByPluginId.keySet();
  }

  /** {@code {connections, subscriptions:{pluginId: n}}}, pluginIds sorted. */
  public JsonObject toJson() {
    JsonObject subscriptions = new JsonObject();
    new TreeMap<>(subscriptionsByPluginId).forEach((pluginId, count) -> subscriptions.put(pluginId, count.sum()));
    return new JsonObject().put("connections", connections()).put("subscriptions", subscriptions);
  }
}
