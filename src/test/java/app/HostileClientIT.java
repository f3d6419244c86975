package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import testkit.AdminClient;
import testkit.EdgeWallet;
import testkit.FreePorts;
import testkit.HostileClient;
import testkit.JarProcess;
import testkit.JvmMetricsWatch;
import testkit.PrometheusText;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, "one hostile client must not be able to exhaust a JVM": the packaged jar in its default topology (hub,
 * fake and blockbook plugin JVMs) with small heaps and the memory guard at 80 / 70 %. A hostile client (many sockets
 * from 127.0.0.1, calls of the largest size, a few sockets that never read) pushes until it is refused, while a
 * well-behaved wallet on 127.0.0.2 subscribes as Edge's does and must be served throughout. Afterwards no JVM has
 * restarted, every JVM's live heap is back under the low watermark once the hostile sockets are closed, and the
 * wallet's subscriptions are all there. The figures the closing note needs are printed (grep {@code [hostile]}).
 */
class HostileClientIT {

  private static final int HUB_HEAP_MB = 256;
  private static final int PLUGIN_HEAP_MB = 192;
  private static final int HIGH_PERCENT = 70;
  private static final int LOW_PERCENT = 60;
  /** The largest call ({@code hub.limits.maxTuplesPerCall}). */
  private static final int MAX_TUPLES = 10_000;
  /** 10 × 10,000 is exactly {@code maxSubscriptionsPerConnection}: the per-socket limit is never what refuses it. */
  private static final int CALLS_PER_SOCKET = 30;
  /** All of them at once: the rate limit (20 a second, bursts of 1,000) lets a socket send them without waiting. */
  private static final int IN_FLIGHT_PER_SOCKET = CALLS_PER_SOCKET;
  private static final int READING_SOCKETS = 12;
  private static final int SILENT_SOCKETS = 4;
  /** The sustained rate ({@code hub.limits.messagesPerSecond}: 20). */
  private static final Duration CALL_INTERVAL = Duration.ofMillis(50);
  /** Past this the hostile client stops waiting to be refused. */
  private static final Duration ATTACK_CAP = Duration.ofSeconds(60);
  private static final String WALLET_HOST = "127.0.0.2";
  private static final int WALLET_ADDRESSES = 300;
  /** Edge's wallet core sends at most 100 tuples per call, one call at a time. */
  private static final int WALLET_CALL = 100;
  /** Edge gives a round of calls 15 s: a reply later than that is as good as missing. */
  private static final Duration EDGE_ROUND = Duration.ofSeconds(15);
  private static final Duration WALLET_PAUSE = Duration.ofMillis(100);
  private static final Duration P99_BOUND = Duration.ofSeconds(1);
  /** Calls the wallet makes at least while the hostile client holds what it got: p99 is then the 2nd worst. */
  private static final int WALLET_SAMPLES = 100;

  private Vertx hostileVertx;
  private Vertx walletVertx;
  private JarProcess launcher;
  private AdminClient admin;
  private int hubPort;
  /** JVM name (hub, fake, blockbook) → its /metrics. */
  private Map<String, String> scrapeTargets;
  private EdgeWallet wallet;
  private HostileClient hostile;
  private JvmMetricsWatch watch;

  @BeforeEach
  void start() throws Exception {
    hostileVertx = Vertx.vertx();
    walletVertx = Vertx.vertx();
    hubPort = FreePorts.next();
    int adminPort = FreePorts.next();
    int[] blocks = FreePorts.clusterPortBlocks(2);
    JsonObject chains = new JsonObject();
    // Blockbook runs as in the default topology, pointed at closed local ports: nothing leaves this host.
    for (String pluginId : List.of("bitcoin", "bitcoincash", "litecoin", "dogecoin", "qtum")) {
      chains.put(pluginId, new JsonObject().put("urls", new JsonArray().add("ws://127.0.0.1:" + FreePorts.next() + "/")));
    }
    launcher = JarProcess.startAsOperatorsDo("hostile-client-" + UUID.randomUUID().toString().substring(0, 8), new JsonObject()
      .put("hub", new JsonObject().put("port", hubPort))
      .put("admin", new JsonObject().put("port", adminPort).put("childMetricsPortBase", blocks[1]).put("benchTrigger", true))
      .put("cluster", new JsonObject().put("name", "hostile-" + UUID.randomUUID()).put("port", blocks[0])
        .put("portCount", FreePorts.CLUSTER_PORT_BLOCK))
      .put("supervisor", new JsonObject().put("heapMb", new JsonObject().put("hub", HUB_HEAP_MB).put("plugin", PLUGIN_HEAP_MB))
        // Each JVM's collections, for the figures and for whoever reads a failure: pauses are what a wallet waits on.
        .put("jvmOptions", new JsonArray().add("-Xlog:gc:file=" + Path.of("target/it-logs").toAbsolutePath() + "/hostile-gc-%p.log:time")))
      .put("memoryGuard", new JsonObject().put("highPercent", HIGH_PERCENT).put("lowPercent", LOW_PERCENT))
      .put("plugins", new JsonObject().put("blockbook", new JsonObject().put("chains", chains))));
    admin = new AdminClient(adminPort);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
      .until(() -> admin.pluginSubscriptions("fake") == 0 && admin.pluginSubscriptions("bitcoin") == 0);
    scrapeTargets = new LinkedHashMap<>();
    admin.stats().getJsonArray("scrapeTargets").forEach(target ->
      scrapeTargets.put(((JsonObject) target).getString("name"), ((JsonObject) target).getString("url")));
    watch = new JvmMetricsWatch(scrapeTargets, "fake", Duration.ofMillis(500));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
      .until(() -> scrapeTargets.keySet().stream().allMatch(jvm -> !watch.scrape(jvm).isEmpty()));
  }

  @AfterEach
  void stop() {
    if (hostile != null) {
      hostile.close();
    }
    if (wallet != null) {
      wallet.close();
    }
    if (watch != null) {
      watch.close();
    }
    if (launcher != null) {
      launcher.close();
    }
    hostileVertx.close();
    walletVertx.close();
  }

  @Test
  @Timeout(value = 7, unit = TimeUnit.MINUTES)
  void aHostileClientIsRefusedBeforeItExhaustsAnyJvmAndAWalletBesideItIsServedThroughout() throws Exception {
    Map<String, Long> pidsBefore = jvmPids();
    assertThat(pidsBefore).as("one JVM per scrape target: hub, fake, blockbook").containsOnlyKeys(scrapeTargets.keySet());

    wallet = EdgeWallet.connect(walletVertx, WALLET_HOST, hubPort);
    List<String> held = new CopyOnWriteArrayList<>(subscribeWalletBeforeTheAttack());

    hostile = new HostileClient(hostileVertx, hubPort, READING_SOCKETS, SILENT_SOCKETS, CALLS_PER_SOCKET, IN_FLIGHT_PER_SOCKET,
      MAX_TUPLES, CALL_INTERVAL);
    hostile.start();
    WalletDuringAttack during = new WalletDuringAttack(held);
    Thread walletThread = new Thread(during, "well-behaved-wallet");
    walletThread.start();
    boolean settled = hostile.awaitSettled(ATTACK_CAP);
    // The hostile sockets stay open (the silent ones stuck): the wallet goes on until its p99 rests on enough calls.
    awaitWalletCalls(during, WALLET_SAMPLES, Duration.ofSeconds(30));
    during.stop();
    walletThread.join(EDGE_ROUND.toMillis() + 5_000);
    Map<String, Long> pidsAfterAttack = jvmPids();

    report("hostile client: %s%s", hostile.describe(), settled ? "" : " (still unsettled at the " + ATTACK_CAP.toSeconds() + " s cap)");
    report("wallet during the attack: %s", during.describe());
    reportJvms();
    report("hub: slowest subscribe request to the fake plugin in the last minutes %s s", PrometheusText.values(orEmpty("hub"),
      "change_bus_request_seconds_max", "action=\"subscribe\""));

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(hostile.firstRefusal()).as("the hostile client was refused before the cap (%s)", hostile.describe()).isNotNull();
    softly.assertThat(guardRefusals()).as("subscriptions refused by a memory guard: the guard, not only the budgets, was reached").isPositive();
    softly.assertThat(pidsAfterAttack).as("JVM pids before the attack %s and after it: no JVM died or restarted", pidsBefore)
      .isEqualTo(pidsBefore);
    softly.assertThat(logLines("\"msg\":\"child exited\"")).as("'child exited' in the hub's log").isEmpty();
    softly.assertThat(logLines("OutOfMemoryError")).as("OutOfMemoryError in any JVM's output").isEmpty();
    assertTheWalletWasServed(softly, during);

    hostile.close();
    hostile = null;
    long closedAt = System.nanoTime();
    if (!launcher.isAlive()) {
      softly.fail("the server is gone (its launcher exited); last output:%n%s", tail(launcher.output(), 40));
      softly.assertAll();
    }
    held.addAll(during.accepted);
    assertOnlyTheWalletsSubscriptionsRemain(softly, held.size(), during.unanswered.size());
    assertEveryHeapBackUnderTheLowWatermark(softly, pidsBefore, closedAt);
    assertActivityReachesEveryWalletAddress(softly, held, during.unanswered.size());
    softly.assertThat(jvmPids()).as("JVM pids at the end").isEqualTo(pidsBefore);
    reportHubCounters();
    softly.assertAll();
  }

  /** 300 addresses in calls of 100: each answered 1, each updated once by the fake about a second later. */
  private List<String> subscribeWalletBeforeTheAttack() {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < WALLET_ADDRESSES; i++) {
      addresses.add("wallet-" + i);
    }
    for (int from = 0; from < WALLET_ADDRESSES; from += WALLET_CALL) {
      EdgeWallet.Reply reply = wallet.subscribe("fake", addresses.subList(from, from + WALLET_CALL), "10", EDGE_ROUND);
      assertThat(reply).as("reply before the attack").isNotNull();
      assertThat(reply.result()).as("codes before the attack (error %s)", reply.error()).containsOnly(1);
    }
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> wallet.withoutUpdate(addresses) == 0);
    return addresses;
  }

  /**
   * What the wallet does meanwhile, call after call: re-subscribes 100 of the addresses it holds (each must answer 1:
   * nothing it holds may be refused), then subscribes 100 new ones (1, then an update must follow; 0 or an error are
   * allowed only as the memory guard's refusal), and so on, a short pause between calls.
   */
  private final class WalletDuringAttack implements Runnable {
    final List<String> holding;
    final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    final List<String> accepted = new CopyOnWriteArrayList<>();
    /** New addresses of calls never answered: the server may or may not hold them. */
    final List<String> unanswered = new CopyOnWriteArrayList<>();
    final List<String> resubscribeProblems = new CopyOnWriteArrayList<>();
    final Map<String, Integer> newRefused = Collections.synchronizedMap(new TreeMap<>());
    final AtomicInteger missing = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    volatile String failure;
    volatile boolean stopped;

    WalletDuringAttack(List<String> holding) {
      this.holding = List.copyOf(holding);
    }

    @Override
    public void run() {
      int fresh = 0;
      for (int round = 0; !stopped; round++) {
        boolean resubscribe = round % 2 == 0;
        List<String> addresses = new ArrayList<>(WALLET_CALL);
        for (int i = 0; i < WALLET_CALL; i++) {
          addresses.add(resubscribe ? holding.get((round / 2 * WALLET_CALL + i) % holding.size()) : "wallet-new-" + fresh++);
        }
        EdgeWallet.Reply reply;
        try {
          reply = wallet.subscribe("fake", addresses, "10", EDGE_ROUND);
        } catch (AssertionError e) {
          failure = e.getMessage();
          return;
        }
        calls.incrementAndGet();
        if (reply == null) {
          // As bad as any latency can be: it counts in the percentiles as the whole round.
          missing.incrementAndGet();
          latencies.add(EDGE_ROUND.toNanos());
          if (!resubscribe) {
            unanswered.addAll(addresses);
          }
        } else {
          latencies.add(reply.latencyNanos());
          if (reply.latencyNanos() > 500_000_000L) {
            System.out.printf("[hostile] slow wallet call answered at %s after %d ms (%s)%n", java.time.Instant.now(),
              reply.latencyNanos() / 1_000_000, resubscribe ? "re-subscribe" : "new addresses");
          }
          if (resubscribe) {
            checkResubscribe(reply);
          } else {
            countNew(addresses, reply);
          }
        }
        pause();
      }
    }

    private void checkResubscribe(EdgeWallet.Reply reply) {
      if (reply.isError() || reply.result().stream().anyMatch(code -> !Integer.valueOf(1).equals(code))) {
        resubscribeProblems.add(reply.isError() ? "error " + reply.error().encode() : "codes " + codeCounts(reply.result()));
      }
    }

    /** Code → how many tuples got it. */
    private static Map<Object, Long> codeCounts(JsonArray codes) {
      Map<Object, Long> counts = new TreeMap<>();
      codes.forEach(code -> counts.merge(String.valueOf(code), 1L, Long::sum));
      return counts;
    }

    private void countNew(List<String> addresses, EdgeWallet.Reply reply) {
      if (reply.isError()) {
        newRefused.merge("error " + reply.error().getInteger("code") + " " + reply.error().getString("message"), addresses.size(), Integer::sum);
        return;
      }
      for (int i = 0; i < addresses.size(); i++) {
        int code = reply.result().getInteger(i);
        if (code == 1) {
          accepted.add(addresses.get(i));
        } else {
          newRefused.merge("result " + code, 1, Integer::sum);
        }
      }
    }

    private void pause() {
      try {
        Thread.sleep(WALLET_PAUSE.toMillis());
      } catch (InterruptedException e) {
        stopped = true;
      }
    }

    void stop() {
      stopped = true;
    }

    long percentileMs(int percent) {
      List<Long> sorted = new ArrayList<>(latencies);
      if (sorted.isEmpty()) {
        return -1;
      }
      Collections.sort(sorted);
      int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
      return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, rank - 1)));
    }

    String describe() {
      return String.format("%d calls of %d, reply latency p50 %d ms, p99 %d ms, max %d ms; %d replies missing (none within %d s); "
          + "re-subscribes not all 1: %s; new addresses granted %d, refused %s, unanswered %d%s", calls.get(), WALLET_CALL,
        percentileMs(50), percentileMs(99), percentileMs(100), missing.get(), EDGE_ROUND.toSeconds(), resubscribeProblems,
        accepted.size(), newRefused, unanswered.size(),
        failure == null ? "" : "; stopped early: " + failure);
    }
  }

  private void assertTheWalletWasServed(SoftAssertions softly, WalletDuringAttack during) {
    softly.assertThat(during.failure).as("the wallet's socket stayed open").isNull();
    softly.assertThat(during.calls.get()).as("calls the wallet made while the hostile client held its subscriptions")
      .isGreaterThanOrEqualTo(WALLET_SAMPLES);
    softly.assertThat(during.missing.get()).as("wallet replies missing (none within %d s)", EDGE_ROUND.toSeconds()).isZero();
    softly.assertThat(during.percentileMs(99)).as("p99 of the wallet's reply latency, ms (%s)", during.describe())
      .isLessThan(P99_BOUND.toMillis());
    softly.assertThat(during.resubscribeProblems).as("re-subscribes of what the wallet holds that did not answer 1 everywhere").isEmpty();
    long withoutUpdate = awaitUpdates(during.accepted, Duration.ofSeconds(30));
    softly.assertThat(withoutUpdate).as("new wallet addresses answered 1 that never got their update (of %d)", during.accepted.size()).isZero();
    if (!during.newRefused.isEmpty()) {
      // The wallet's own address budget is untouched: only a memory guard may refuse it, and it must say so.
      softly.assertThat(guardRefusals()).as("the wallet's new addresses were refused (%s): by a memory guard", during.newRefused).isPositive();
    }
  }

  /**
   * After the hostile sockets closed: the hub and the fake plugin hold the wallet's subscriptions and nothing else (plus,
   * at most, the addresses of its calls that were never answered, which the server may hold).
   */
  private void assertOnlyTheWalletsSubscriptionsRemain(SoftAssertions softly, int held, int unanswered) {
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
        within(admin.hubSubscriptions("fake"), held, unanswered) && within(admin.pluginSubscriptions("fake"), held, unanswered));
    } catch (Exception | AssertionError e) {
      softly.fail("30 s after the hostile sockets closed, hub and fake plugin should hold the wallet's %d subscriptions (+ up to %d "
        + "unanswered); they hold %s and %s", held, unanswered, orError(() -> admin.hubSubscriptions("fake")),
        orError(() -> admin.pluginSubscriptions("fake")));
    }
  }

  private static boolean within(long count, int held, int unanswered) {
    return count >= held && count <= held + unanswered;
  }

  /**
   * Each JVM's guard must reopen by itself (it forces a full collection every ~10 s while closed); then a full
   * collection we ask for ({@code jcmd GC.run}: a JVM whose guard is open has no reason to collect) must find the live
   * heap under the low watermark, in the JVM's own {@code change_memory_live_ratio}.
   */
  private void assertEveryHeapBackUnderTheLowWatermark(SoftAssertions softly, Map<String, Long> pids, long closedAtNanos) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String jvm : scrapeTargets.keySet()) {
      String metrics = orEmpty(jvm);
      if (metrics.isEmpty()) {
        softly.fail("%s does not answer /metrics after the attack", jvm);
        continue;
      }
      if (!PrometheusText.has(metrics, JvmMetricsWatch.GUARD_ACTIVE) || !PrometheusText.has(metrics, JvmMetricsWatch.LIVE_RATIO)) {
        forceFullGc(pids.get(jvm));
        report("%s after a forced full GC: live %s (jvm_gc_live_data_size_bytes / jvm_gc_max_data_size_bytes), no memory guard metrics",
          jvm, micrometerLiveRatio(orEmpty(jvm)));
        softly.fail("%s exports no %s / %s: it has no memory guard", jvm, JvmMetricsWatch.GUARD_ACTIVE, JvmMetricsWatch.LIVE_RATIO);
        continue;
      }
      while (System.nanoTime() < deadline && gauge(jvm, JvmMetricsWatch.GUARD_ACTIVE) != 0) {
        sleep(500);
      }
      if (gauge(jvm, JvmMetricsWatch.GUARD_ACTIVE) != 0) {
        softly.fail("%s's memory guard still active 60 s after the hostile sockets closed (live ratio %s)", jvm, gauge(jvm, JvmMetricsWatch.LIVE_RATIO));
        continue;
      }
      long openMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAtNanos);
      forceFullGc(pids.get(jvm));
      // The gauge may be refreshed on the JVM's own schedule rather than at the collection: give it a few seconds.
      long refreshDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      double ratio = gauge(jvm, JvmMetricsWatch.LIVE_RATIO);
      while (!(ratio < LOW_PERCENT / 100.0) && System.nanoTime() < refreshDeadline) {
        sleep(500);
        ratio = gauge(jvm, JvmMetricsWatch.LIVE_RATIO);
      }
      report("%s: guard seen open %,d ms after the hostile sockets closed; live ratio after a full GC %.3f (%s by Micrometer)", jvm, openMs, ratio,
        micrometerLiveRatio(orEmpty(jvm)));
      softly.assertThat(ratio).as("%s's live heap ratio after the hostile sockets closed", jvm).isLessThan(LOW_PERCENT / 100.0);
    }
  }

  /** The behaviour a user notices: activity on every address the fake watches reaches every one of the wallet's. */
  private void assertActivityReachesEveryWalletAddress(SoftAssertions softly, List<String> held, int unanswered) {
    try {
      wallet.resetUpdates();
      softly.assertThat(admin.activityOnEveryAddress("fake")).as("updates the fake scheduled: one per wallet address")
        .isBetween((long) held.size(), (long) held.size() + unanswered);
      long withoutUpdate = awaitUpdates(held, Duration.ofSeconds(30));
      softly.assertThat(withoutUpdate).as("wallet addresses (of %d) that got no update from the burst", held.size()).isZero();
      report("after the attack: the wallet holds %d subscriptions; %d of them got the burst's update", held.size(), held.size() - withoutUpdate);
    } catch (RuntimeException e) {
      softly.fail("burst on the wallet's addresses failed: %s", e.toString());
    }
  }

  /** Lets the wallet go on until it has made {@code calls} calls during the attack, or {@code timeout} has passed. */
  private static void awaitWalletCalls(WalletDuringAttack during, int calls, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (during.calls.get() < calls && during.failure == null && System.nanoTime() < deadline) {
      sleep(100);
    }
  }

  /** Waits until every address has an update; returns how many still have none. */
  private long awaitUpdates(List<String> addresses, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (wallet.withoutUpdate(addresses) > 0 && System.nanoTime() < deadline && !wallet.isClosed()) {
      sleep(100);
    }
    return wallet.withoutUpdate(addresses);
  }

  /** JVM name → pid: the server JVM the launcher relaunched (hub), and its supervised children by their config file. */
  private Map<String, Long> jvmPids() {
    Map<String, Long> pids = new TreeMap<>();
    for (ProcessHandle server : launcher.children()) {
      pids.put("hub", server.pid());
      server.children().forEach(child -> {
        String arguments = String.join(" ", child.info().arguments().map(Arrays::asList).orElse(List.of()));
        scrapeTargets.keySet().stream().filter(name -> arguments.contains("change-server-" + name + "-")).forEach(name -> pids.put(name, child.pid()));
      });
    }
    return pids;
  }

  private static void forceFullGc(Long pid) {
    if (pid == null) {
      return;
    }
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
      }
    } catch (Exception e) {
      report("jcmd %d GC.run failed: %s", pid, e);
    }
    sleep(300);
  }

  private void reportJvms() {
    for (String jvm : scrapeTargets.keySet()) {
      JvmMetricsWatch.Seen seen = watch.seen(jvm);
      String metrics = orEmpty(jvm);
      report("%s: peak heap used %d MB of %d MB, peak fake subscriptions held %,d, peak live ratio %s, guard activations seen %d, "
          + "guard refusals %s, live ratio now %s; %d of %d scrapes failed", jvm, seen.peakHeapBytes() >> 20, seen.maxHeapBytes() >> 20,
        seen.peakSubscriptions(), Double.isNaN(seen.peakLiveRatio()) ? "absent" : String.format("%.3f", seen.peakLiveRatio()),
        seen.guardActivations(), PrometheusText.has(metrics, JvmMetricsWatch.GUARD_REFUSED)
          ? String.valueOf((long) PrometheusText.sum(metrics, JvmMetricsWatch.GUARD_REFUSED, "")) : "absent",
        micrometerLiveRatio(metrics), seen.failedScrapes(), seen.scrapes() + seen.failedScrapes());
    }
    report("hub log: %d 'child exited', %d OutOfMemoryError, %d slow consumers closed", logLines("\"msg\":\"child exited\"").size(),
      logLines("OutOfMemoryError").size(), logLines("\"reason\":\"slowConsumer\"").size());
    logLines("\"msg\":\"child exited\"").forEach(line -> report("  %s", line));
  }

  private void reportHubCounters() {
    String metrics = orEmpty("hub");
    report("hub: change_budget_refused_total %s; closes by reason %s", PrometheusText.has(metrics, "change_budget_refused_total")
      ? String.valueOf((long) PrometheusText.sum(metrics, "change_budget_refused_total", "")) : "absent", closeCounts(metrics));
  }

  private static Map<String, Long> closeCounts(String metrics) {
    Map<String, Long> counts = new TreeMap<>();
    for (String reason : List.of("rate", "size", "slowConsumer", "idle", "connectionBudget", "shutdown", "client")) {
      List<Double> values = PrometheusText.values(metrics, "change_close_count_total", "reason=\"" + reason + "\"");
      if (!values.isEmpty()) {
        counts.put(reason, values.stream().mapToLong(Double::longValue).sum());
      }
    }
    return counts;
  }

  /** Every guard refusal counted by any JVM; 0 where the counter is absent. */
  private long guardRefusals() {
    return scrapeTargets.keySet().stream().mapToLong(jvm -> (long) PrometheusText.sum(orEmpty(jvm), JvmMetricsWatch.GUARD_REFUSED, "")).sum();
  }

  /** A gauge of one JVM now; NaN when absent or the JVM does not answer. */
  private double gauge(String jvm, String name) {
    try {
      OptionalDouble value = watch.gauge(jvm, name);
      return value.isPresent() ? value.getAsDouble() : Double.NaN;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String micrometerLiveRatio(String metrics) {
    List<Double> live = PrometheusText.values(metrics, "jvm_gc_live_data_size_bytes");
    List<Double> max = PrometheusText.values(metrics, "jvm_gc_max_data_size_bytes");
    return live.isEmpty() || max.isEmpty() || max.get(0) == 0 ? "unknown" : String.format("%.3f", live.get(0) / max.get(0));
  }

  private String orEmpty(String jvm) {
    try {
      return watch.scrape(jvm);
    } catch (RuntimeException e) {
      return "";
    }
  }

  private List<String> logLines(String containing) {
    return launcher.output().lines().filter(line -> line.contains(containing)).map(HostileClientIT::clip).toList();
  }

  private static String orError(java.util.concurrent.Callable<?> read) {
    try {
      return String.valueOf(read.call());
    } catch (Exception e) {
      return "(" + e.getMessage() + ")";
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().map(HostileClientIT::clip).toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static String clip(String line) {
    return line.length() > 400 ? line.substring(0, 400) + "…" : line;
  }

  private static void report(String format, Object... args) {
    System.out.println("[hostile] " + String.format(format, args));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
