package testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Scrapes the {@code /metrics} of every JVM of a topology (one scrape target per JVM, as {@code /stats} lists them)
 * every {@code interval} on its own thread, and keeps what a test reports afterwards: each JVM's peak heap in use (all
 * heap pools), the most subscriptions of one pluginId it held, its peak live ratio, how often its memory guard was seen switching on, and scrapes that failed (a JVM
 * that is dead, restarting or too busy to answer).
 */
public final class JvmMetricsWatch implements AutoCloseable {

  public static final String GUARD_ACTIVE = "change_memory_guard_active";
  public static final String LIVE_RATIO = "change_memory_live_ratio";
  public static final String GUARD_REFUSED = "change_memory_guard_refused_total";

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();

  /** What was seen of one JVM; written by the watch's thread only. */
  public static final class Seen {
    private volatile long peakHeapBytes;
    private volatile long maxHeapBytes;
    private volatile long peakSubscriptions;
    private volatile double peakLiveRatio = Double.NaN;
    private volatile int guardActivations;
    private volatile boolean guardActive;
    private volatile int scrapes;
    private volatile int failedScrapes;

    public long peakHeapBytes() {
      return peakHeapBytes;
    }

    /** The heap's maximum (all pools), as last scraped. */
    public long maxHeapBytes() {
      return maxHeapBytes;
    }

    /**
     * The most subscriptions of {@code pluginId} (given to the watch) seen held at once: the hub's
     * {@code change_subscription_count}, a plugin's {@code change_plugin_subscription_count}.
     */
    public long peakSubscriptions() {
      return peakSubscriptions;
    }

    /** NaN when the JVM exports no {@value #LIVE_RATIO}. */
    public double peakLiveRatio() {
      return peakLiveRatio;
    }

    /** Times {@value #GUARD_ACTIVE} was seen going from 0 (or the first scrape) to 1. */
    public int guardActivations() {
      return guardActivations;
    }

    public int scrapes() {
      return scrapes;
    }

    public int failedScrapes() {
      return failedScrapes;
    }
  }

  private final Map<String, URI> targets;
  private final Map<String, Seen> seen = new LinkedHashMap<>();
  private final Duration interval;
  private final String subscriptionLabel;
  private final Thread poller;
  private volatile boolean stopped;

  /** {@code targets}: JVM name → its {@code /metrics} URL; {@code pluginId}: whose subscriptions to follow. */
  public JvmMetricsWatch(Map<String, String> targets, String pluginId, Duration interval) {
    this.subscriptionLabel = "pluginId=\"" + pluginId + "\"";
    this.targets = new LinkedHashMap<>();
    targets.forEach((name, url) -> {
      this.targets.put(name, URI.create(url));
      seen.put(name, new Seen());
    });
    this.interval = interval;
    this.poller = new Thread(this::poll, "jvm-metrics-watch");
    poller.setDaemon(true);
    poller.start();
  }

  public Seen seen(String jvm) {
    return seen.get(jvm);
  }

  public List<String> jvms() {
    return List.copyOf(targets.keySet());
  }

  /** One JVM's /metrics now; fails if it does not answer within 5 s. */
  public String scrape(String jvm) {
    return scrape(targets.get(jvm), Duration.ofSeconds(5));
  }

  /** A gauge of one JVM now (the largest sample if it has labels); empty when that JVM does not export it. */
  public OptionalDouble gauge(String jvm, String name) {
    return PrometheusText.values(scrape(jvm), name).stream().mapToDouble(Double::doubleValue).max();
  }

  private void poll() {
    while (!stopped) {
      targets.forEach(this::observe);
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void observe(String jvm, URI url) {
    Seen jvmSeen = seen.get(jvm);
    String metrics;
    try {
      metrics = scrape(url, Duration.ofSeconds(2));
    } catch (RuntimeException e) {
      jvmSeen.failedScrapes++;
      return;
    }
    jvmSeen.scrapes++;
    jvmSeen.peakHeapBytes = Math.max(jvmSeen.peakHeapBytes, (long) PrometheusText.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\""));
    jvmSeen.maxHeapBytes = (long) PrometheusText.sum(metrics, "jvm_memory_max_bytes", "area=\"heap\"");
    long subscriptions = (long) (PrometheusText.sum(metrics, "change_subscription_count", subscriptionLabel)
      + PrometheusText.sum(metrics, "change_plugin_subscription_count", subscriptionLabel));
    jvmSeen.peakSubscriptions = Math.max(jvmSeen.peakSubscriptions, subscriptions);
    PrometheusText.values(metrics, LIVE_RATIO).stream().mapToDouble(Double::doubleValue).max().ifPresent(ratio ->
      jvmSeen.peakLiveRatio = Double.isNaN(jvmSeen.peakLiveRatio) ? ratio : Math.max(jvmSeen.peakLiveRatio, ratio));
    boolean active = PrometheusText.values(metrics, GUARD_ACTIVE).stream().anyMatch(value -> value >= 1);
    if (active && !jvmSeen.guardActive) {
      jvmSeen.guardActivations++;
    }
    jvmSeen.guardActive = active;
  }

  private static String scrape(URI url, Duration timeout) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + response.statusCode());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(url + " unreachable: " + e, e);
    }
  }

  @Override
  public void close() {
    stopped = true;
    poller.interrupt();
  }
}
