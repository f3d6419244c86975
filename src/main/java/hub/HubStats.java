package hub;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import ops.Metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one hub JVM, shared by its hub verticle instances, read by the admin endpoint and exposed as meters.
 * The meters read these counters at scrape time, so the hot paths only add to a {@link LongAdder}.
 */
public final class HubStats implements Shareable {

  private static final String KEY = "changeserver.hubStats";

  /** What this hub counts for one pluginId. */
  private static final class PerPlugin {
    final LongAdder subscriptions = new LongAdder();
    final LongAdder events = new LongAdder();
    final LongAdder moves = new LongAdder();
    final LongAdder moveUpdates = new LongAdder();
    final LongAdder subLosts = new LongAdder();
  }

  private final AtomicInteger connections = new AtomicInteger();
  private final Map<CloseReason, LongAdder> closes = new EnumMap<>(CloseReason.class);
  private final LongAdder budgetRefused = new LongAdder();
  private final Map<String, PerPlugin> byPluginId = new ConcurrentHashMap<>();
  private final Set<String> metered = ConcurrentHashMap.newKeySet();
  private final MeterRegistry registry;

  private HubStats(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("change.connection.count", connections, AtomicInteger::get)
      .description("WebSocket connections open on this hub").register(registry);
    for (CloseReason reason : CloseReason.values()) {
      LongAdder count = new LongAdder();
      closes.put(reason, count);
      FunctionCounter.builder("change.close.count", count, LongAdder::sum).tag("reason", reason.tag())
        .description("Client sockets closed, by reason (client: the client closed or the connection broke)").register(registry);
    }
    FunctionCounter.builder("change.budget.refused", budgetRefused, LongAdder::sum)
      .description("New subscriptions refused because their client address had its budget on this hub").register(registry);
  }

  /** The one instance of this Vert.x instance. */
  public static HubStats of(Vertx vertx) {
    return (HubStats) vertx.sharedData().getLocalMap("changeserver")
      .computeIfAbsent(KEY, k -> new HubStats(Metrics.of(vertx).registry()));
  }

  void connectionOpened() {
    connections.incrementAndGet();
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }

  void closed(CloseReason reason) {
    closes.get(reason).increment();
  }

  void budgetRefused(int subscriptions) {
    budgetRefused.add(subscriptions);
  }

  void subscriptions(String pluginId, int delta) {
    perPlugin(pluginId).subscriptions.add(delta);
  }

  /** An update or subLost written to a client socket. */
  void eventSent(String pluginId) {
    perPlugin(pluginId).events.increment();
  }

  /** A subLost written to a client socket: counted as an event too, and on its own for alerting. */
  void subLostSent(String pluginId) {
    perPlugin(pluginId).subLosts.increment();
    eventSent(pluginId);
  }

  /** Subscriptions handed over to another plugin instance (one joined, left, drained or restarted). */
  void moved(String pluginId, int subscriptions) {
    perPlugin(pluginId).moves.add(subscriptions);
  }

  /** An update a move's scan caused: possibly one the client had already had (one extra re-sync). */
  void moveUpdate(String pluginId) {
    perPlugin(pluginId).moveUpdates.increment();
    eventSent(pluginId);
  }

  public int connections() {
    return connections.get();
  }

  /** pluginIds this hub's sockets have held subscriptions for at some point (never names a plugin refused). */
  public Set<String> pluginIds() {
    return byPluginId.keySet();
  }

  /**
   * {@code {connections, subscriptions:{pluginId: n}, events:{pluginId: n}, moves:{pluginId: n},
   * moveUpdates:{pluginId: n}, closes:{reason: n}, budgetRefused}}, pluginIds sorted.
   */
  public JsonObject toJson() {
    JsonObject subscriptions = new JsonObject();
    JsonObject events = new JsonObject();
    JsonObject moves = new JsonObject();
    JsonObject moveUpdates = new JsonObject();
    new TreeMap<>(byPluginId).forEach((pluginId, counts) -> {
      subscriptions.put(pluginId, counts.subscriptions.sum());
      events.put(pluginId, counts.events.sum());
      moves.put(pluginId, counts.moves.sum());
      moveUpdates.put(pluginId, counts.moveUpdates.sum());
    });
    JsonObject closed = new JsonObject();
    closes.forEach((reason, count) -> closed.put(reason.tag(), count.sum()));
    return new JsonObject().put("connections", connections()).put("subscriptions", subscriptions).put("events", events)
      .put("moves", moves).put("moveUpdates", moveUpdates).put("closes", closed).put("budgetRefused", budgetRefused.sum());
  }

  /**
   * Exposes a pluginId's counters as meters: called for the pluginIds the deployment serves, never for the names
   * clients merely send, which would let any client add series without end.
   */
  void served(String pluginId) {
    PerPlugin counts = perPlugin(pluginId);
    if (metered.add(pluginId)) {
      registerMeters(pluginId, counts);
    }
  }

  private PerPlugin perPlugin(String pluginId) {
    PerPlugin counts = byPluginId.get(pluginId);
    return counts != null ? counts : byPluginId.computeIfAbsent(pluginId, p -> new PerPlugin());
  }

  private void registerMeters(String pluginId, PerPlugin counts) {
    Gauge.builder("change.subscription.count", counts.subscriptions, LongAdder::sum).tag("pluginId", pluginId)
      .description("Subscriptions this hub's sockets hold").register(registry);
    FunctionCounter.builder("change.event.count", counts.events, LongAdder::sum).tag("pluginId", pluginId)
      .description("Events (update, subLost) sent to this hub's sockets").register(registry);
    FunctionCounter.builder("change.move.count", counts.moves, LongAdder::sum).tag("pluginId", pluginId)
      .description("Subscriptions handed over to another plugin instance (one joined, left, drained or restarted)").register(registry);
    FunctionCounter.builder("change.move.update.count", counts.moveUpdates, LongAdder::sum).tag("pluginId", pluginId)
      .description("Updates caused by a move's scan: possible duplicates, one extra re-sync each").register(registry);
    FunctionCounter.builder("change.sublost.count", counts.subLosts, LongAdder::sum).tag("pluginId", pluginId)
      .description("subLost messages sent to this hub's sockets: subscriptions the chain could no longer watch").register(registry);
  }
}
