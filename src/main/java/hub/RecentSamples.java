package hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Map;

/**
 * The last minutes of one hub for the status page's charts, so that the page needs no Prometheus: a ring of at most
 * {@code capacity} samples, each {@code {t, connections, subscriptions: {pluginId: n}, updatesPerSecond,
 * busLatencyMs, lagBlocks: {pluginId: n}}}. Rates are over the time since the previous sample, computed from the
 * counters' change (null for the first sample, and the latency when no bus request completed meanwhile). Used from
 * one event loop (the admin verticle's).
 */
final class RecentSamples {

  /** The hub's bus request timers added up: how many completed and how long they took in all. */
  record BusTotals(long count, double seconds) {
  }

  private final int capacity;
  private final long intervalMs;
  private final ArrayDeque<JsonObject> samples;
  private long lastAtMs = -1;
  private long lastEvents;
  private BusTotals lastBus;

  RecentSamples(int capacity, long intervalMs) {
    if (capacity < 2 || intervalMs <= 0) {
      throw new IllegalArgumentException("admin.historySamples must be at least 2 and admin.historyIntervalMs positive, got " + capacity + " and " + intervalMs);
    }
    this.capacity = capacity;
    this.intervalMs = intervalMs;
    this.samples = new ArrayDeque<>(capacity);
  }

  /**
   * Adds the sample taken at {@code atMs}: {@code hub} as {@link HubStats#toJson()}, {@code plugins} as the admin
   * endpoint's plugin states (a chain with an upstream has {@code lagBlocks}), {@code bus} read at the same moment.
   */
  void add(long atMs, JsonObject hub, JsonObject plugins, BusTotals bus) {
    long events = sum(hub.getJsonObject("events", new JsonObject()));
    JsonObject lag = new JsonObject();
    plugins.forEach(entry -> {
      Object lagBlocks = ((JsonObject) entry.getValue()).getValue("lagBlocks");
      if (lagBlocks != null) {
        lag.put(entry.getKey(), lagBlocks);
      }
    });
    JsonObject sample = new JsonObject().put("t", atMs).put("connections", hub.getInteger("connections", 0))
      .put("subscriptions", hub.getJsonObject("subscriptions", new JsonObject()).copy())
      .put("updatesPerSecond", null).put("busLatencyMs", null).put("lagBlocks", lag);
    if (lastAtMs >= 0 && atMs > lastAtMs) {
      sample.put("updatesPerSecond", Math.max(0, events - lastEvents) * 1000.0 / (atMs - lastAtMs));
      long requests = bus.count() - lastBus.count();
      if (requests > 0) {
        sample.put("busLatencyMs", (bus.seconds() - lastBus.seconds()) * 1000 / requests);
      }
    }
    lastAtMs = atMs;
    lastEvents = events;
    lastBus = bus;
    if (samples.size() == capacity) {
      samples.removeFirst();
    }
    samples.addLast(sample);
  }

  long intervalMs() {
    return intervalMs;
  }

  /** {@code {intervalMs, capacity, samples: [...]}}, oldest first. */
  JsonObject toJson() {
    return new JsonObject().put("intervalMs", intervalMs).put("capacity", capacity).put("samples", new JsonArray(samples.stream().map(JsonObject::copy).toList()));
  }

  private static long sum(JsonObject counts) {
    long total = 0;
    for (Map.Entry<String, Object> entry : counts) {
      total += ((Number) entry.getValue()).longValue();
    }
    return total;
  }
}
