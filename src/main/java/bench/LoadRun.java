package bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * One load run, phase after phase: connect, subscribe, updates, the optional burst, close. Runs on the command's
 * thread, which blocks between phases; the sockets live on the {@link SocketGroup} event loops.
 */
final class LoadRun {

  /** Once the subscribe phase is over, this long without any new update means no more are coming. */
  private static final long QUIET_MS = 5_000;
  /** The burst phase ends this long after the last burst update, once the burst's duration has passed. */
  private static final long BURST_QUIET_MS = 2_000;
  private static final long POLL_MS = 20;
  /** A fresh socket answered within this counts as served promptly. */
  private static final long PROMPT_MS = 100;
  private static final long PROBE_INTERVAL_MS = 50;
  private static final long PROBE_TIMEOUT_MS = 5_000;
  /** Server CPU above its idle rate by less than this (seconds per second) counts as idle again. */
  private static final double IDLE_MARGIN = 0.05;
  private static final long IDLE_WINDOW_MS = 1_000;

  private final LoadPlan plan;
  private final LoadCounters counters = new LoadCounters();
  private final AddressScheme scheme;
  private final BenchReport report;
  private final Map<String, Double> phaseCpu = new LinkedHashMap<>();
  private final List<SocketGroup> groups = new ArrayList<>();
  private ProcessTreeSampler server;
  private Vertx vertx;

  LoadRun(LoadPlan plan) {
    this.plan = plan;
    String runId = "b" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36, 36 * 36 * 36 * 36 * 36), 36);
    this.scheme = new AddressScheme(runId, plan.shared());
    this.report = new BenchReport(plan);
  }

  BenchReport run() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(plan.eventLoops()));
    try {
      server = plan.pid() > 0 ? new ProcessTreeSampler(plan.pid()) : null;
      double idleCpuRate = server == null ? 0 : idleCpuRate();
      ProcessTreeSampler.Sample baseline = server == null ? null : server.sample();
      long liveHeapBefore = plan.liveHeap() ? LiveHeap.bytes(server.livePids()) : -1;
      for (int group = 0; group < plan.eventLoops(); group++) {
        SocketGroup socketGroup = new SocketGroup(plan, group, plan.eventLoops(), scheme, counters);
        await(vertx.deployVerticle(socketGroup), plan.phaseTimeoutMs());
        groups.add(socketGroup);
      }
      int opened = connect();
      long subscribeStarted = subscribe();
      updates(opened, subscribeStarted);
      ProcessTreeSampler.Sample afterUpdates = server == null ? null : server.sample();
      long liveHeapAfter = plan.liveHeap() ? LiveHeap.bytes(server.livePids()) : -1;
      if (plan.burst() != null) {
        burst();
      }
      long cleanupMs = close(idleCpuRate);
      if (server != null) {
        report.add(new BenchReport.Resources(plan.pid(), baseline.rssBytes(), server.peakRssBytes(),
          afterUpdates.rssBytes(), server.sample().rssBytes(), liveHeapBefore, liveHeapAfter, plan.subscriptions(), phaseCpu,
          cleanupMs, server.processes()));
      }
      report.add(BenchReport.Tool.measure());
      return report;
    } finally {
      if (server != null) {
        server.close();
      }
      await(vertx.close(), 30_000);
    }
  }

  private int connect() throws Exception {
    double cpu = serverCpu();
    long started = System.nanoTime();
    List<Future<SocketGroup.ConnectTally>> connecting = new ArrayList<>();
    groups.forEach(group -> connecting.add(group.connectAll()));
    int opened = 0;
    int failed = 0;
    String firstFailure = null;
    for (Future<SocketGroup.ConnectTally> future : connecting) {
      SocketGroup.ConnectTally tally = await(future, plan.phaseTimeoutMs());
      opened += tally.opened();
      failed += tally.failed();
      firstFailure = firstFailure != null ? firstFailure : tally.firstFailure();
    }
    BenchReport.Connect phase = new BenchReport.Connect(opened, failed, firstFailure, millisSince(started));
    endPhase(phase, cpu);
    return opened;
  }

  /** Returns when the phase started, which is when the plugin's update timers start too. */
  private long subscribe() throws Exception {
    double cpu = serverCpu();
    long started = System.nanoTime();
    Future<?> all = Future.join(groups.stream().map(SocketGroup::subscribeAll).toList());
    try {
      await(all, plan.phaseTimeoutMs());
    } catch (TimeoutException e) {
      System.err.println("subscribe phase: not every call was answered within " + plan.phaseTimeoutMs() + " ms");
    }
    long ms = millisSince(started);
    GroupTally tally = mergedTally();
    int unanswered = tally.callsSent - tally.callsAnswered - tally.callsLost;
    endPhase(new BenchReport.Subscribe(tally.callsSent, unanswered, tally.callsLost, ms, tally.subscribeLatency.summary(),
      tally.resultsNotOne, tally.errorReplies, tally.protocolErrors, tally.firstError), cpu);
    return started;
  }

  private void updates(int opened, long subscribeStarted) throws Exception {
    double cpu = serverCpu();
    long reachable = (long) opened * plan.addresses();
    waitFor(() -> counters.watchUpdates.sum(), reachable, System.nanoTime(), QUIET_MS, plan.updateTimeoutMs());
    long received = counters.watchUpdates.sum();
    long duplicates = counters.duplicateUpdates.sum();
    LoadCounters.TimeSpan times = counters.watchUpdateTimes;
    int socketsMissing = 0;
    for (SocketGroup group : groups) {
      socketsMissing += await(group.socketsMissingUpdates(), plan.phaseTimeoutMs());
    }
    endPhase(new BenchReport.Updates(plan.subscriptions(), received, plan.subscriptions() - received, duplicates,
      counters.unexpectedUpdates.sum(), counters.subLost.sum(), socketsMissing,
      times.isEmpty() ? 0 : (times.last() - times.first()) / 1_000_000,
      times.ratePerSecond(received + duplicates),
      times.isEmpty() ? 0 : (times.last() - subscribeStarted) / 1_000_000,
      (int) counters.unexpectedCloses.sum(), counters.firstUnexpectedClose.get(), plan.shared()), cpu);
  }

  private void burst() throws Exception {
    LoadPlan.BurstPlan burst = plan.burst();
    double cpu = serverCpu();
    long scheduled;
    try {
      scheduled = BurstTrigger.request(burst, plan.pluginId());
    } catch (IOException e) {
      report.add(BenchReport.Burst.skipped(e.getMessage() != null ? e.getMessage() : e.toString()));
      return;
    }
    long started = System.nanoTime();
    // Wait out the burst itself first: the count to reach is only an upper bound when fewer sockets are subscribed.
    Thread.sleep(burst.durationMs());
    waitFor(() -> counters.burstUpdates.sum(), scheduled, started, BURST_QUIET_MS,
      burst.durationMs() + plan.updateTimeoutMs());
    GroupTally tally = mergedTally();
    long received = counters.burstUpdates.sum();
    double emitSeconds = (tally.lastEmitMicros - tally.firstEmitMicros) / 1e6;
    endPhase(new BenchReport.Burst(null, burst.rate(), burst.durationMs(), scheduled, received,
      emitSeconds > 0 ? received / emitSeconds : 0, counters.burstUpdateTimes.ratePerSecond(received),
      tally.burstLatency.summary()), cpu);
  }

  /**
   * Closes every socket, then probes with fresh sockets until one is served promptly, then waits for the server's CPU
   * to fall back to idle. Returns how long that last part took from the start of the close (0 without a pid).
   */
  private long close(double idleCpuRate) throws Exception {
    double cpu = serverCpu();
    long started = System.nanoTime();
    await(Future.join(groups.stream().map(SocketGroup::closeAll).toList()), plan.phaseTimeoutMs());
    long closeMs = millisSince(started);
    SettleProbe probe = new SettleProbe(vertx, plan, scheme, PROBE_TIMEOUT_MS);
    int probes = 0;
    int failed = 0;
    long worstMs = 0;
    boolean settled = false;
    while (!settled && millisSince(started) < plan.phaseTimeoutMs()) {
      long probeMs;
      probes++;
      try {
        probeMs = await(probe.probe(), 2 * PROBE_TIMEOUT_MS) / 1_000_000;
        settled = probeMs < PROMPT_MS;
      } catch (Exception e) {
        failed++;
        probeMs = PROBE_TIMEOUT_MS;
      }
      worstMs = Math.max(worstMs, probeMs);
      if (!settled) {
        Thread.sleep(PROBE_INTERVAL_MS);
      }
    }
    long settleMs = millisSince(started);
    await(probe.close(), 10_000);
    long cleanupMs = server == null ? 0 : waitForIdle(started, idleCpuRate);
    endPhase(new BenchReport.Close(closeMs, settleMs, settled, probes, failed, worstMs), cpu);
    if (server != null) {
      phaseCpu.put("cleanup", phaseCpu.remove("close"));
    }
    return cleanupMs;
  }

  /** Waits until the server tree's CPU rate is back near its idle rate; returns ms since {@code closeStarted}. */
  private long waitForIdle(long closeStarted, double idleCpuRate) throws InterruptedException {
    double previous = server.sample().cpuSeconds();
    while (millisSince(closeStarted) < plan.phaseTimeoutMs()) {
      long windowStarted = System.nanoTime();
      Thread.sleep(IDLE_WINDOW_MS);
      double now = server.sample().cpuSeconds();
      double rate = (now - previous) * 1000.0 / IDLE_WINDOW_MS;
      previous = now;
      if (rate < idleCpuRate + IDLE_MARGIN) {
        return (windowStarted - closeStarted) / 1_000_000;
      }
    }
    return millisSince(closeStarted);
  }

  /** The server's CPU seconds per second before any load, so that "idle again" means idle for this server. */
  private double idleCpuRate() throws InterruptedException {
    double before = server.sample().cpuSeconds();
    Thread.sleep(IDLE_WINDOW_MS);
    return (server.sample().cpuSeconds() - before) * 1000.0 / IDLE_WINDOW_MS;
  }

  /**
   * Polls {@code count} until it reaches {@code target}, nothing new came for {@code quietMs}, or {@code timeoutMs}
   * passed since {@code started}.
   */
  private static void waitFor(LongSupplier count, long target, long started, long quietMs, long timeoutMs)
    throws InterruptedException {
    long last = count.getAsLong();
    long lastChange = System.nanoTime();
    while (last < target && millisSince(started) < timeoutMs && millisSince(lastChange) < quietMs) {
      Thread.sleep(POLL_MS);
      long now = count.getAsLong();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      }
    }
  }

  private GroupTally mergedTally() throws Exception {
    GroupTally merged = new GroupTally();
    for (SocketGroup group : groups) {
      merged.merge(await(group.tally(), plan.phaseTimeoutMs()));
    }
    return merged;
  }

  private void endPhase(BenchReport.Phase phase, double cpuAtStart) {
    report.add(phase);
    if (server != null) {
      phaseCpu.put(phase.name(), serverCpu() - cpuAtStart);
    }
    System.err.println(phase.name() + ": " + phase.describe().lines().findFirst().orElse(""));
  }

  private double serverCpu() {
    return server == null ? 0 : server.sample().cpuSeconds();
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
