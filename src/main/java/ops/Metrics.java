package ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * The meter registry of one Vert.x instance: Vert.x's own instrumentation (HTTP, event bus, pools, JVM) and this
 * application's meters land in the same Prometheus registry, scraped at {@code /metrics}. One per Vert.x instance, not
 * a static, so that tests running several instances in one JVM do not mix their counters.
 */
public final class Metrics implements Shareable {

  private static final String KEY = "changeserver.metrics";
  /** Content type of {@link #scrape()}. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /**
   * The options that enable Vert.x metrics into this registry. Vert.x's event-bus metrics are off: they look up a
   * meter for every message, and every update crosses the bus twice (plugin to hub, hub to socket), which showed in
   * the hub's profile under load; bus request latency is timed by {@link BusRequestTimers} instead.
   */
  public MicrometerMetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  public MicrometerMetricsFactory vertxMetricsFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** Makes this the registry {@link #of} returns for {@code vertx}; call before deploying anything. */
  public void attachTo(Vertx vertx) {
    vertx.sharedData().getLocalMap("changeserver").put(KEY, this);
  }

  /** The registry of {@code vertx}; a Vert.x built without one (a test's plain instance) gets its own on first use. */
  public static Metrics of(Vertx vertx) {
    return (Metrics) vertx.sharedData().getLocalMap("changeserver").computeIfAbsent(KEY, k -> new Metrics());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }
}
