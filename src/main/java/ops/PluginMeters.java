package ops;

import api.plugin.Chain;
import api.plugin.ChainStatus;
import plugins.host.SubscriptionBook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one pluginId in the JVM that serves it: its subscription state (read from the book at scrape time;
 * a scrape may see a count one event old, which is all a gauge promises), the events it emits, and, for a chain with an
 * upstream, where the chain stands (read from {@link Chain#status()} at scrape time, so nothing is counted twice).
 * Removed when the endpoint stops, so that a redeployed endpoint does not find meters still bound to the old chain.
 */
public final class PluginMeters {

  private final MeterRegistry registry;
  private final Counter events;
  private final List<Meter> meters = new ArrayList<>();

  public PluginMeters(MeterRegistry registry, Chain chain, SubscriptionBook book) {
    this.registry = registry;
    String pluginId = chain.pluginId();
    this.events = Counter.builder("change.plugin.event.count").tag("pluginId", pluginId)
      .description("Events (update, subLost) this plugin sent to hubs, one per subscribed connection").register(registry);
    meters.add(events);
    meters.add(Gauge.builder("change.plugin.watched.address.count", book, SubscriptionBook::watchedAddresses).tag("pluginId", pluginId)
      .description("Addresses this plugin watches upstream").register(registry));
    meters.add(Gauge.builder("change.plugin.subscription.count", book, SubscriptionBook::subscriptions).tag("pluginId", pluginId)
      .description("Subscriptions this plugin holds, across all hubs").register(registry));
    meters.add(Gauge.builder("change.plugin.connection.count", book, SubscriptionBook::connections).tag("pluginId", pluginId)
      .description("Client connections with at least one subscription here").register(registry));
    // A chain without an upstream has no head and nothing to be down: series for it would only mislead.
    if (chain.status().hasUpstream()) {
      chainGauge(chain, "change.chain.head.height", "Height of the newest block the upstream reported (-1 until known)",
        ChainStatus::headHeight);
      chainGauge(chain, "change.chain.lag.blocks", "Blocks between the upstream's head and the last block processed",
        ChainStatus::lagBlocks);
      chainGauge(chain, "change.upstream.up", "1 while the upstream is usable, else 0", status -> status.upstreamUp() ? 1 : 0);
      meters.add(FunctionCounter.builder("change.upstream.errors", chain, c -> c.status().upstreamErrors()).tag("pluginId", pluginId)
        .description("Failed upstream calls and connection attempts, and dropped upstream connections").register(registry));
      meters.add(FunctionCounter.builder("change.upstream.reconnects", chain, c -> c.status().reconnects()).tag("pluginId", pluginId)
        .description("Upstream connections re-established after a loss, and failovers to another upstream URL").register(registry));
    }
  }

  public void eventSent() {
    events.increment();
  }

  public void close() {
    meters.forEach(registry::remove);
  }

  private void chainGauge(Chain chain, String name, String description, ToDoubleFunction<ChainStatus> value) {
    meters.add(Gauge.builder(name, chain, c -> value.applyAsDouble(c.status())).tag("pluginId", chain.pluginId())
      .description(description).register(registry));
  }
}
