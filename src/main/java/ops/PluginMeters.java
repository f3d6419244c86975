package ops;

import api.plugin.SubscriptionBook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;

/**
 * The meters of one pluginId in the JVM that serves it: its subscription state (read from the book at scrape time;
 * a scrape may see a count one event old, which is all a gauge promises) and the events it emits. Removed when the
 * endpoint stops, so that a redeployed endpoint does not find gauges still bound to the old book.
 */
public final class PluginMeters {

  private final MeterRegistry registry;
  private final Counter events;
  private final List<Meter> meters;

  public PluginMeters(MeterRegistry registry, String pluginId, SubscriptionBook book) {
    this.registry = registry;
    this.events = Counter.builder("change.plugin.event.count").tag("pluginId", pluginId)
      .description("Events (update, subLost) this plugin sent to hubs, one per subscribed connection").register(registry);
    this.meters = List.of(events,
      Gauge.builder("change.plugin.watched.address.count", book, SubscriptionBook::watchedAddresses).tag("pluginId", pluginId)
        .description("Addresses this plugin watches upstream").register(registry),
      Gauge.builder("change.plugin.subscription.count", book, SubscriptionBook::subscriptions).tag("pluginId", pluginId)
        .description("Subscriptions this plugin holds, across all hubs").register(registry),
      Gauge.builder("change.plugin.connection.count", book, SubscriptionBook::connections).tag("pluginId", pluginId)
        .description("Client connections with at least one subscription here").register(registry));
  }

  public void eventSent() {
    events.increment();
  }

  public void close() {
    meters.forEach(registry::remove);
  }
}
