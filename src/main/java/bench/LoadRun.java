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
 * One load run, phase after phase: connect, subscribe, updates, the optional burst or reconnect storm, close. Runs on
 * the command's thread, which blocks between phases; the sockets live on the {@link SocketGroup} event loops.
 */
final class LoadRun {

  /** Once the subscribe phase is over, this long without any new update means no more are coming. */
  private static final long QUIET_MS = 5_000;
  /** The burst phase ends this long after the last burst update, once the burst's duration has passed. */
  private static final long BURST_QUIET_MS = 2_000;
  /**
   * Once every storm socket is served, the storm ends this long after the last update: the restarted plugin watches
   * every address afresh, and the fake one sends its update a second after the re-subscribe.
   */
  private static final long STORM_QUIET_MS = 2_000;
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
  /** The server's tree as the run found it (--pid). */
  private ProcessTreeSampler server;
  /** The tree the reconnect storm's restart command started, sampled from then on; null until then. */
  private ProcessTreeSampler restarted;
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
      if (plan.storm() != null) {
        storm();
      }
      long cleanupMs = close(idleCpuRate);
      if (server != null) {
        List<ProcessTreeSampler.ProcessFigures> processes = new ArrayList<>(server.processes());
        if (restarted != null) {
          processes.addAll(restarted.processes());
        }
        report.add(new BenchReport.Resources(plan.pid(), baseline.rssBytes(), server.peakRssBytes(), server.peakPssBytes(),
          afterUpdates.rssBytes(), currentTree().sample().rssBytes(), liveHeapBefore, liveHeapAfter, plan.subscriptions(),
          phaseCpu, cleanupMs, processes, restarted == null ? 0 : restarted.rootPid()));
      }
      report.add(BenchReport.Tool.measure());
      return report;
    } finally {
      if (server != null) {
        server.close();
      }
      if (restarted != null) {
        restarted.close();
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
    int deflateAccepted = 0;
    String firstFailure = null;
    for (Future<SocketGroup.ConnectTally> future : connecting) {
      SocketGroup.ConnectTally tally = await(future, plan.phaseTimeoutMs());
      opened += tally.opened();
      failed += tally.failed();
      deflateAccepted += tally.deflateAccepted();
      firstFailure = firstFailure != null ? firstFailure : tally.firstFailure();
    }
    BenchReport.Connect phase = new BenchReport.Connect(opened, failed, firstFailure, millisSince(started), plan.deflate(),
      deflateAccepted);
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
   * Every socket turns Edge-like, then the restart command restarts the server; the phase ends when every socket has
   * been served again, or {@code --phase-timeout-ms} after the command returned. Times run from the command's start.
   */
  private void storm() throws Exception {
    double cpu = serverCpu();
    int sockets = 0;
    for (SocketGroup group : groups) {
      sockets += await(group.startStorm(), plan.phaseTimeoutMs());
    }
    long started = System.nanoTime();
    RestartCommand.Outcome restart = RestartCommand.run(plan.storm().restartCommand(), plan.phaseTimeoutMs());
    System.err.println("storm: restart command " + (restart.failure() != null ? restart.failure() : "exit " + restart.exitCode())
      + " after " + restart.ms() + " ms; waiting for " + sockets + " sockets to be served");
    followRestartedTree(restart.newPid());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(plan.phaseTimeoutMs());
    while (counters.stormServedSockets.get() < sockets && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MS);
    }
    // Served times are taken by then; this only lets the fresh watches' updates count as the storm's.
    waitFor(counters.stormUpdates::sum, (long) sockets * plan.addresses(), System.nanoTime(), STORM_QUIET_MS,
      plan.updateTimeoutMs());
    StormTally tally = new StormTally();
    for (SocketGroup group : groups) {
      tally.merge(await(group.stormTally(started), plan.phaseTimeoutMs()));
    }
    BenchReport.NewTree newTree = restarted == null ? null
      : new BenchReport.NewTree(restarted.rootPid(), restarted.peakRssBytes(), restarted.sample().cpuSeconds());
    endPhase(new BenchReport.Storm(sockets, restart, tally, counters.stormUpdates.sum(), plan.deflate(), newTree), cpu);
  }

  /**
   * From now on, samples the tree the restart command started instead of the old one, which has exited: the old
   * sampler keeps its figures (CPU included), so that phase CPU spans both trees.
   */
  private void followRestartedTree(long newPid) {
    if (server == null || newPid <= 0) {
      return;
    }
    server.close();
    try {
      restarted = new ProcessTreeSampler(newPid);
    } catch (IllegalArgumentException e) {
      System.err.println("storm: the restart command printed pid " + newPid + ", which is not running: not sampled");
    }
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
    double previous = serverCpu();
    while (millisSince(closeStarted) < plan.phaseTimeoutMs()) {
      long windowStarted = System.nanoTime();
      Thread.sleep(IDLE_WINDOW_MS);
      double now = serverCpu();
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

  /** CPU seconds of the server so far: the first tree's, plus the restarted one's after a storm. */
  private double serverCpu() {
    return (server == null ? 0 : server.sample().cpuSeconds()) + (restarted == null ? 0 : restarted.sample().cpuSeconds());
  }

  /** The tree that is the server now. */
  private ProcessTreeSampler currentTree() {
    return restarted != null ? restarted : server;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
