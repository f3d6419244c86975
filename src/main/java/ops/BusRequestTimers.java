package ops;

import api.Action;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Latency of the hub's requests to plugins, {@code change_bus_request_seconds{pluginId, action, outcome}}. Each timer
 * is registered when first used, then found by an array index: no tag lookups per request.
 */
public final class BusRequestTimers {

  private static final int OUTCOMES = 2;

  private final MeterRegistry registry;
  private final Map<String, Timer[]> byPluginId = new ConcurrentHashMap<>();

  public BusRequestTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records a request that started at {@code startNanos} ({@link System#nanoTime()}) and has just completed. */
  public void record(String pluginId, Action action, long startNanos, boolean succeeded) {
    Timer[] timers = byPluginId.computeIfAbsent(pluginId, p -> new Timer[Action.values().length * OUTCOMES]);
    int slot = action.ordinal() * OUTCOMES + (succeeded ? 0 : 1);
    Timer timer = timers[slot];
    if (timer == null) {
      // Two event loops may race here: the registry returns the same timer to both.
      timer = Timer.builder("change.bus.request")
        .description("Hub to plugin request latency; failed: timeout, no handler or plugin error")
        .tags("pluginId", pluginId, "action", action.wireName(), "outcome", succeeded ? "ok" : "failed")
        .register(registry);
      timers[slot] = timer;
    }
    timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }
}
