package ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Refuses new subscriptions while the long-lived heap of this JVM is nearly full, so that subscription load can never
 * kill it with OutOfMemoryError: the hub refuses such calls with error 1, a plugin answers 0 for each new pair without
 * storing it (the client subscribes again later), and whatever is already subscribed keeps working. One per Vert.x
 * instance (one per JVM in production), shared by every verticle of it.
 *
 * <p>What counts is the old generation after a full collection (what is really alive), not its current use, which in a
 * healthy JVM climbs with garbage to the top before each full collection. So when the current use passes the high
 * watermark, the guard forces a full collection to find out (at most every {@code minGcIntervalMs}); if the generation
 * fills up again sooner than that while the live part is already past the low watermark, subscriptions are coming in
 * faster than a check can keep up with, and the guard closes at once. While closed it re-measures at the same pace, and
 * opens again once the live part is under the low watermark. The default high watermark, 70 %, leaves the collector
 * room to promote a young generation's survivors: at 80 % the parallel collector ran full collections back to back
 * (HostileClientIT, GC logs), which stalled every client of that JVM for seconds. Config section {@code memoryGuard}: {@code highPercent}
 * (70), {@code lowPercent} (60), {@code checkIntervalMs} (250), {@code minGcIntervalMs} (10,000), {@code enabled} (true).
 */
public final class MemoryGuard implements Shareable {

  private static final Logger log = LoggerFactory.getLogger(MemoryGuard.class);
  private static final String KEY = "changeserver.memoryGuard";
  private static final long MB = 1024 * 1024;

  /** The guard's settings; percentages of the old generation's maximum. */
  public record Settings(boolean enabled, int highPercent, int lowPercent, long checkIntervalMs, long minGcIntervalMs) {

    public Settings {
      if (lowPercent <= 0 || lowPercent > highPercent || highPercent >= 100) {
        throw new IllegalArgumentException("memoryGuard needs 0 < lowPercent <= highPercent < 100, got " + lowPercent + " and " + highPercent);
      }
    }

    public static Settings fromJson(JsonObject json) {
      return new Settings(json.getBoolean("enabled", true), json.getInteger("highPercent", 70), json.getInteger("lowPercent", 60),
        json.getLong("checkIntervalMs", 250L), json.getLong("minGcIntervalMs", 10_000L));
    }
  }

  private final Settings settings;
  private final HeapReadings heap;
  private final LongSupplier clockMs;
  private final AtomicBoolean collecting = new AtomicBoolean();
  private volatile boolean closed;
  private long lastForcedGcMs = Long.MIN_VALUE / 2;
  private Counter refused;

  MemoryGuard(Settings settings, HeapReadings heap, LongSupplier clockMs) {
    this.settings = settings;
    this.heap = heap;
    this.clockMs = clockMs;
  }

  /**
   * Starts this JVM's guard with its config section and its meters ({@code change_memory_guard_active},
   * {@code change_memory_live_ratio}, {@code change_memory_guard_refused_total}); call once, before deploying.
   */
  public static MemoryGuard install(Vertx vertx, JsonObject config) {
    MemoryGuard guard = new MemoryGuard(Settings.fromJson(config), HeapReadings.ofThisJvm(), System::currentTimeMillis);
    vertx.sharedData().getLocalMap("changeserver").put(KEY, guard);
    guard.start(vertx);
    return guard;
  }

  /** The guard of {@code vertx}; one that was never installed (a test's plain Vert.x) gets a disabled one. */
  public static MemoryGuard of(Vertx vertx) {
    return (MemoryGuard) vertx.sharedData().getLocalMap("changeserver").computeIfAbsent(KEY, k -> disabled(vertx));
  }

  /** Makes {@code guard} the one {@link #of} returns for {@code vertx} (tests). */
  public static void attach(Vertx vertx, MemoryGuard guard) {
    vertx.sharedData().getLocalMap("changeserver").put(KEY, guard);
    guard.bindMeters(Metrics.of(vertx).registry());
  }

  private static MemoryGuard disabled(Vertx vertx) {
    MemoryGuard guard = new MemoryGuard(new Settings(false, 70, 60, 250, 10_000), HeapReadings.ofThisJvm(), System::currentTimeMillis);
    guard.bindMeters(Metrics.of(vertx).registry());
    return guard;
  }

  private void start(Vertx vertx) {
    bindMeters(Metrics.of(vertx).registry());
    if (!settings.enabled()) {
      return;
    }
    log.atInfo().addKeyValue("highPercent", settings.highPercent()).addKeyValue("lowPercent", settings.lowPercent())
      .addKeyValue("oldGenMaxMb", heap.max() / MB).log("memory guard on watch");
    vertx.setPeriodic(settings.checkIntervalMs(), id -> {
      if (check()) {
        // A full collection stops every thread anyway; running it on a worker keeps the event loop's clock honest.
        vertx.executeBlocking(() -> {
          heap.collect();
          return null;
        }, false).onComplete(done -> {
          collected();
          check();
        });
      }
    });
  }

  private void bindMeters(MeterRegistry registry) {
    Gauge.builder("change.memory.guard.active", this, guard -> guard.closed ? 1 : 0)
      .description("1 while this JVM refuses new subscriptions because its long-lived heap is nearly full").register(registry);
    Gauge.builder("change.memory.live.ratio", heap, readings -> readings.max() <= 0 ? 0 : (double) readings.liveAfterGc() / readings.max())
      .description("Old generation in use after the latest full collection, as a share of its maximum").register(registry);
    refused = Counter.builder("change.memory.guard.refused")
      .description("New subscriptions refused by this JVM's memory guard").register(registry);
  }

  /** Whether new subscriptions may be stored now; a volatile read, cheap enough for every call. */
  public boolean admits() {
    return !closed;
  }

  /** Counts subscriptions refused because the guard is closed. */
  public void refused(int subscriptions) {
    if (refused != null) {
      refused.increment(subscriptions);
    }
  }

  /**
   * Reads the heap and opens or closes the guard; returns true when a full collection should run now (the caller runs
   * it and checks again). Package-private for tests, which drive it with fake readings and a fake clock.
   */
  boolean check() {
    if (!settings.enabled() || collecting.get()) {
      return false;
    }
    long max = heap.max();
    long high = max * settings.highPercent() / 100;
    long low = max * settings.lowPercent() / 100;
    long live = heap.liveAfterGc();
    long used = heap.used();
    long now = clockMs.getAsLong();
    boolean mayCollect = now - lastForcedGcMs >= settings.minGcIntervalMs();
    if ((used >= high || closed) && mayCollect) {
      lastForcedGcMs = now;
      collecting.set(true);
      return true;
    }
    if (!closed && (live >= high || (used >= high && live >= low))) {
      closed = true;
      log.atWarn().addKeyValue("liveMb", live / MB).addKeyValue("usedMb", used / MB).addKeyValue("oldGenMaxMb", max / MB)
        .addKeyValue("highPercent", settings.highPercent()).log("memory guard closed: refusing new subscriptions");
    } else if (closed && live < low && used < high) {
      closed = false;
      log.atInfo().addKeyValue("liveMb", live / MB).addKeyValue("oldGenMaxMb", max / MB)
        .addKeyValue("lowPercent", settings.lowPercent()).log("memory guard open: accepting subscriptions again");
    }
    return false;
  }

  /** Marks a forced collection as finished, so that the next check may ask for another. */
  void collected() {
    collecting.set(false);
  }
}
