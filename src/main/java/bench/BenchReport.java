package bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every figure of a run, printed twice: a summary for people, then one line of JSON for scripts (always the last line
 * of the output). Each phase is a record that knows both of its forms.
 */
final class BenchReport {

  private final LoadPlan plan;
  private final List<Phase> phases = new ArrayList<>();

  BenchReport(LoadPlan plan) {
    this.plan = plan;
  }

  /** One part of the report: a JSON member and a few lines of summary. */
  interface Phase {
    String name();

    JsonObject toJson();

    String describe();
  }

  void add(Phase phase) {
    phases.add(phase);
  }

  /**
   * True when everything the run expected happened: every socket opened, every call answered, every update came and,
   * in a reconnect storm, every socket was served again with results.
   */
  boolean complete() {
    for (Phase phase : phases) {
      if (phase instanceof Connect connect && connect.failed() > 0
        || phase instanceof Subscribe subscribe && (subscribe.lost() > 0 || subscribe.unanswered() > 0)
        || phase instanceof Updates updates && updates.missing() > 0
        || phase instanceof Storm storm && !storm.succeeded()) {
        return false;
      }
    }
    return true;
  }

  void print(PrintStream out) {
    out.printf(Locale.ROOT, "bench %s: %,d sockets × %,d %s addresses (%,d subscriptions), %d per call, pluginId %s%n",
      plan.url(), plan.sockets(), plan.addresses(), plan.shared() ? "shared" : "own", plan.subscriptions(), plan.batch(),
      plan.pluginId());
    for (Phase phase : phases) {
      out.printf("%-10s %s%n", phase.name(), phase.describe().replace("\n", "\n           "));
    }
    out.println(toJson().encode());
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("url", plan.url().toString()).put("sockets", plan.sockets()).put("addresses", plan.addresses())
      .put("shared", plan.shared()).put("batch", plan.batch()).put("subscriptions", plan.subscriptions())
      .put("handshakeConcurrency", plan.handshakeConcurrency()).put("pluginId", plan.pluginId())
      .put("complete", complete());
    phases.forEach(phase -> json.put(phase.name(), phase.toJson()));
    return json;
  }

  /**
   * @param deflateOffered  whether the handshakes offered permessage-deflate ({@code --deflate})
   * @param deflateAccepted sockets whose handshake response granted it
   */
  record Connect(int opened, int failed, String firstFailure, long ms, boolean deflateOffered, int deflateAccepted)
    implements Phase {
    public String name() {
      return "connect";
    }

    double perSecond() {
      return ms == 0 ? 0 : opened * 1000.0 / ms;
    }

    public JsonObject toJson() {
      return new JsonObject().put("opened", opened).put("failed", failed).put("firstFailure", firstFailure).put("ms", ms)
        .put("perSecond", Math.round(perSecond())).put("deflate", deflateJson(deflateOffered, deflateAccepted));
    }

    public String describe() {
      return String.format(Locale.ROOT, "%,d sockets in %,d ms (%,.0f/s); %s%s", opened, ms, perSecond(),
        describeDeflate(deflateOffered, deflateAccepted, opened),
        failed == 0 ? "" : String.format(Locale.ROOT, "; %,d FAILED, first: %s", failed, firstFailure));
    }
  }

  private static JsonObject deflateJson(boolean offered, int accepted) {
    return new JsonObject().put("offered", offered).put("accepted", accepted);
  }

  private static String describeDeflate(boolean offered, int accepted, int of) {
    return offered ? String.format(Locale.ROOT, "permessage-deflate offered, granted on %,d of %,d", accepted, of)
      : "permessage-deflate not offered";
  }

  /**
   * @param unanswered calls still unanswered when the phase timed out
   * @param lost       calls whose socket closed before the reply
   */
  record Subscribe(int calls, int unanswered, int lost, long ms, LatencySummary latency, long resultsNotOne,
                   int errorReplies, int protocolErrors, String firstError) implements Phase {
    public String name() {
      return "subscribe";
    }

    public JsonObject toJson() {
      return new JsonObject().put("calls", calls).put("unanswered", unanswered).put("lost", lost).put("ms", ms)
        .put("latency", latency.toJson()).put("resultsNotOne", resultsNotOne).put("errorReplies", errorReplies)
        .put("protocolErrors", protocolErrors).put("firstError", firstError);
    }

    public String describe() {
      String problems = resultsNotOne + errorReplies + protocolErrors + unanswered + lost == 0 ? ""
        : String.format(Locale.ROOT, "%nPROBLEMS: %,d results not 1, %,d error replies, %,d unreadable messages, "
          + "%,d calls unanswered, %,d lost with their socket; first: %s",
        resultsNotOne, errorReplies, protocolErrors, unanswered, lost, firstError);
      return String.format(Locale.ROOT, "%,d calls in %,d ms; per call %s%s", calls, ms, latency.describe(), problems);
    }
  }

  /**
   * @param expected        one update per (socket, address) pair
   * @param firstToLastMs   from the first update received to the last
   * @param sinceSubscribeMs from the start of the subscribe phase to the last update
   */
  record Updates(long expected, long received, long missing, long duplicates, long unexpected, long subLost,
                 int socketsMissingUpdates, long firstToLastMs, double perSecond, long sinceSubscribeMs,
                 int unexpectedCloses, String firstUnexpectedClose, boolean shared) implements Phase {
    public String name() {
      return "updates";
    }

    public JsonObject toJson() {
      return new JsonObject().put("expected", expected).put("received", received).put("missing", missing)
        .put("duplicates", duplicates).put("unexpected", unexpected).put("subLost", subLost)
        .put("socketsMissingUpdates", socketsMissingUpdates).put("firstToLastMs", firstToLastMs)
        .put("perSecond", Math.round(perSecond)).put("sinceSubscribeMs", sinceSubscribeMs)
        .put("unexpectedCloses", unexpectedCloses).put("firstUnexpectedClose", firstUnexpectedClose);
    }

    public String describe() {
      StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
        "%,d of %,d received, %,.0f/s over %,d ms (last one %,d ms after the subscribe phase began)",
        received, expected, perSecond, firstToLastMs, sinceSubscribeMs));
      if (missing + duplicates + unexpected + subLost > 0) {
        text.append(String.format(Locale.ROOT, "%nPROBLEMS: %,d missing (on %,d sockets), %,d duplicates, "
          + "%,d for addresses never subscribed, %,d subLost", missing, socketsMissingUpdates, duplicates, unexpected, subLost));
        if (shared && missing > 0) {
          text.append("\n(shared addresses: a socket that joins a watch after it fired rightly gets no update)");
        }
      }
      if (unexpectedCloses > 0) {
        text.append(String.format(Locale.ROOT, "%n%,d sockets closed by the server, first: %s", unexpectedCloses, firstUnexpectedClose));
      }
      return text.toString();
    }
  }

  /** The emit-to-receive phase; {@code skipped} says why when there was none. */
  record Burst(String skipped, int rate, long durationMs, long scheduled, long received, double emittedPerSecond,
               double receivedPerSecond, LatencySummary latency) implements Phase {
    static Burst skipped(String why) {
      return new Burst(why, 0, 0, 0, 0, 0, 0, null);
    }

    public String name() {
      return "burst";
    }

    public JsonObject toJson() {
      if (skipped != null) {
        return new JsonObject().put("skipped", skipped);
      }
      return new JsonObject().put("rate", rate).put("durationMs", durationMs).put("scheduled", scheduled)
        .put("received", received).put("emittedPerSecond", Math.round(emittedPerSecond))
        .put("receivedPerSecond", Math.round(receivedPerSecond)).put("latency", latency.toJson());
    }

    public String describe() {
      if (skipped != null) {
        return "burst phase skipped: " + skipped;
      }
      return String.format(Locale.ROOT, "asked %,d/s for %,d ms: %,d scheduled, %,d received; emitted at %,.0f/s, "
          + "received at %,.0f/s%nemit→receive %s", rate, durationMs, scheduled, received, emittedPerSecond,
        receivedPerSecond, latency.describe());
    }
  }

  /**
   * The reconnect storm: every socket Edge-like ({@link EdgeSocket}) while the restart command restarts the server.
   * Times run from the start of the command; a socket is served once every one of its addresses was answered on its
   * current connection.
   *
   * @param sockets        sockets that took part
   * @param tally          what they saw from the moment they turned Edge-like, with their served times
   * @param updates        updates for their own addresses until the phase ended (the restarted plugin's fresh
   *                       watches; the phase waits for them to stop once every socket is served)
   * @param deflateOffered whether their handshakes offered permessage-deflate
   * @param newTree        the restarted server's process tree; null without {@code --pid} or a pid from the command
   */
  record Storm(int sockets, RestartCommand.Outcome restart, StormTally tally, long updates, boolean deflateOffered,
               NewTree newTree) implements Phase {
    public String name() {
      return "storm";
    }

    int served() {
      return tally.servedMicros.count();
    }

    /** Every socket served, none by an error reply, after a restart command that succeeded. */
    boolean succeeded() {
      return served() == sockets && tally.errorReplies == 0 && restart.exitCode() == 0;
    }

    LatencySummary perSocket() {
      return tally.servedMicros.summary();
    }

    /** Until the last socket was served; -1 when not all were. */
    long allServedMs() {
      return served() == sockets ? Math.round(perSocket().maxMs()) : -1;
    }

    /** Until the first socket was served; -1 when none was. */
    long firstServedMs() {
      return served() == 0 ? -1 : tally.firstServedMicros / 1000;
    }

    public JsonObject toJson() {
      JsonObject results = new JsonObject();
      for (int code = -1; code <= 2; code++) {
        results.put(Integer.toString(code), tally.results(code));
      }
      results.put("other", tally.otherResults);
      return new JsonObject().put("sockets", sockets).put("served", served()).put("allServedMs", allServedMs())
        .put("firstServedMs", firstServedMs()).put("perSocketServedMs", perSocket().toJson())
        .put("restart", new JsonObject().put("command", restart.command()).put("exitCode", restart.exitCode())
          .put("ms", restart.ms()).put("newPid", restart.newPid()).put("failure", restart.failure()))
        .put("results", results).put("errorReplies", tally.errorReplies).put("errorTuples", tally.errorTuples)
        .put("calls", tally.callsSent).put("callsLost", tally.callsLost)
        .put("reconnectAttempts", tally.reconnectAttempts).put("failedConnects", tally.failedConnects)
        .put("firstConnectFailure", tally.firstConnectFailure).put("reconnects", tally.reconnects)
        .put("closes", tally.closes).put("deflate", deflateJson(deflateOffered, tally.deflateAccepted))
        .put("updates", updates).put("unexpectedUpdates", tally.unexpectedUpdates).put("subLost", tally.subLost)
        .put("protocolErrors", tally.protocolErrors).put("firstError", tally.firstError)
        .put("newTree", newTree == null ? null : newTree.toJson());
    }

    public String describe() {
      LatencySummary perSocket = perSocket();
      StringBuilder text = new StringBuilder(served() == sockets
        ? String.format(Locale.ROOT, "all %,d sockets served %,d ms after the restart began", sockets, allServedMs())
        : String.format(Locale.ROOT, "ONLY %,d of %,d sockets served", served(), sockets));
      text.append(String.format(Locale.ROOT, " (first %,d ms; per socket p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms)%n",
        firstServedMs(), perSocket.p50Ms(), perSocket.p99Ms(), perSocket.maxMs()));
      text.append(String.format(Locale.ROOT, "restart command %s after %,d ms%s%n",
        restart.failure() != null ? "FAILED (" + restart.failure() + ")" : "exit " + restart.exitCode(), restart.ms(),
        restart.newPid() > 0 ? ", new server pid " + restart.newPid() : ", no new pid printed"));
      text.append(String.format(Locale.ROOT, "results after the restart: %,d × 1, %,d × 2, %,d × 0, %,d × -1, %,d other; "
          + "%,d error replies (%,d tuples)%n", tally.results(1), tally.results(2), tally.results(0), tally.results(-1),
        tally.otherResults, tally.errorReplies, tally.errorTuples));
      text.append(String.format(Locale.ROOT, "%,d closes, %,d reconnect attempts, %,d refused or failed%s, %,d connected (%s); "
          + "%,d calls, %,d lost with their socket%n", tally.closes, tally.reconnectAttempts, tally.failedConnects,
        tally.firstConnectFailure == null ? "" : " (first: " + tally.firstConnectFailure + ")", tally.reconnects,
        describeDeflate(deflateOffered, tally.deflateAccepted, tally.reconnects), tally.callsSent, tally.callsLost));
      text.append(String.format(Locale.ROOT, "%,d updates (expected: fresh watches), %,d for addresses never subscribed, "
        + "%,d subLost, %,d unreadable messages", updates, tally.unexpectedUpdates, tally.subLost, tally.protocolErrors));
      if (tally.firstError != null) {
        text.append("; first error: ").append(tally.firstError);
      }
      if (newTree != null) {
        text.append(String.format(Locale.ROOT, "%nnew server tree (pid %d): peak RSS %s, %.2f CPU s since it started",
          newTree.rootPid(), Resources.mb(newTree.peakRssBytes()), newTree.cpuSeconds()));
      }
      return text.toString();
    }
  }

  /** The restarted server's process tree during the storm: its peak RSS and its CPU since its processes started. */
  record NewTree(long rootPid, long peakRssBytes, double cpuSeconds) {
    JsonObject toJson() {
      return new JsonObject().put("rootPid", rootPid).put("peakRssBytes", peakRssBytes)
        .put("cpuSeconds", LatencySummary.round(cpuSeconds));
    }
  }

  /**
   * @param closeMs    until every socket of the load had closed
   * @param settleMs   from the start of the close to the end of the first probe answered within the prompt limit
   * @param settled    false when no probe was prompt before the deadline
   * @param worstProbeMs the slowest probe (a failed one counts as its timeout)
   */
  record Close(long closeMs, long settleMs, boolean settled, int probes, int failedProbes, long worstProbeMs)
    implements Phase {
    public String name() {
      return "close";
    }

    public JsonObject toJson() {
      return new JsonObject().put("closeMs", closeMs).put("settleMs", settleMs).put("settled", settled)
        .put("probes", probes).put("failedProbes", failedProbes).put("worstProbeMs", worstProbeMs);
    }

    public String describe() {
      return String.format(Locale.ROOT, "all closed in %,d ms; %s %,d ms after the close began (%d probes, %d failed, "
          + "slowest %,d ms)", closeMs, settled ? "a fresh socket was served promptly" : "NO fresh socket was served promptly "
          + "within", settleMs, probes, failedProbes, worstProbeMs);
    }
  }

  /**
   * The server's process tree, from {@link ProcessTreeSampler}.
   *
   * @param phaseCpuSeconds CPU seconds of the whole tree per phase; "cleanup" runs from the close until the tree is
   *                        idle again
   * @param cleanupMs       from the close until the tree was idle again
   * @param liveHeapBeforeBytes live Java heap of the tree's JVMs after a full GC before the sockets opened; -1: not
   *                        measured ({@code --live-heap})
   * @param liveHeapAfterBytes the same after the updates, with every subscription held
   * @param restartedRootPid the tree the reconnect storm started, measured from then on (the after-close RSS, the
   *                        cleanup, the processes listed after the first tree's); 0 when there was none
   */
  record Resources(long rootPid, long baselineRssBytes, long peakRssBytes, long peakPssBytes, long rssAfterUpdatesBytes,
                   long rssAfterCloseBytes, long liveHeapBeforeBytes, long liveHeapAfterBytes, long subscriptions, Map<String, Double> phaseCpuSeconds, long cleanupMs,
                   List<ProcessTreeSampler.ProcessFigures> processes, long restartedRootPid) implements Phase {
    public String name() {
      return "server";
    }

    /** Memory the subscriptions added to the whole tree, per subscription. */
    double bytesPerSubscription() {
      return subscriptions == 0 ? 0 : (double) (rssAfterUpdatesBytes - baselineRssBytes) / subscriptions;
    }

    /** Live heap the subscriptions added to the tree's JVMs, per subscription; -1 when not measured. */
    double liveHeapBytesPerSubscription() {
      if (liveHeapBeforeBytes < 0 || subscriptions == 0) {
        return -1;
      }
      return (double) (liveHeapAfterBytes - liveHeapBeforeBytes) / subscriptions;
    }

    public JsonObject toJson() {
      JsonObject cpu = new JsonObject();
      phaseCpuSeconds.forEach((phase, seconds) -> cpu.put(phase, LatencySummary.round(seconds)));
      JsonArray perProcess = new JsonArray();
      processes.forEach(p -> perProcess.add(new JsonObject().put("pid", p.pid).put("name", p.name)
        .put("peakRssBytes", p.peakRssBytes).put("cpuSeconds", LatencySummary.round(p.cpuSeconds()))));
      return new JsonObject().put("rootPid", rootPid).put("baselineRssBytes", baselineRssBytes)
        .put("peakRssBytes", peakRssBytes).put("peakPssBytes", peakPssBytes).put("rssAfterUpdatesBytes", rssAfterUpdatesBytes)
        .put("rssAfterCloseBytes", rssAfterCloseBytes).put("bytesPerSubscription", Math.round(bytesPerSubscription()))
        .put("liveHeapBeforeBytes", liveHeapBeforeBytes).put("liveHeapAfterBytes", liveHeapAfterBytes)
        .put("liveHeapBytesPerSubscription", Math.round(liveHeapBytesPerSubscription()))
        .put("cpuSeconds", cpu).put("cleanupMs", cleanupMs).put("processes", perProcess)
        .put("restartedRootPid", restartedRootPid);
    }

    public String describe() {
      StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
        "process tree of %d: RSS %s before, peak %s (PSS %s), %s after the updates (%,.0f bytes per subscription), %s after the close%s",
        rootPid, mb(baselineRssBytes), mb(peakRssBytes), mb(peakPssBytes), mb(rssAfterUpdatesBytes), bytesPerSubscription(),
        mb(rssAfterCloseBytes), restartedRootPid == 0 ? "" : " (of the restarted tree, pid " + restartedRootPid + ")"));
      if (liveHeapBeforeBytes >= 0) {
        text.append(String.format(Locale.ROOT, "%nlive heap after a full GC: %s before, %s with the subscriptions (%,.0f bytes per subscription)",
          mb(liveHeapBeforeBytes), mb(liveHeapAfterBytes), liveHeapBytesPerSubscription()));
      }
      text.append("\nCPU seconds:");
      phaseCpuSeconds.forEach((phase, seconds) -> text.append(String.format(Locale.ROOT, " %s %.2f", phase, seconds)));
      text.append(String.format(Locale.ROOT, " (idle again %,d ms after the close)", cleanupMs));
      for (ProcessTreeSampler.ProcessFigures process : processes) {
        text.append(String.format(Locale.ROOT, "%n  pid %d: peak %s, %.2f CPU s — %s", process.pid,
          mb(process.peakRssBytes), process.cpuSeconds(), process.name));
      }
      return text.toString();
    }

    private static String mb(long bytes) {
      return String.format(Locale.ROOT, "%,.0f MB", bytes / 1048576.0);
    }
  }

  /** The load tool's own use, which competes with the server when both run on one machine. */
  record Tool(double cpuSeconds, long peakRssBytes) implements Phase {
    /** This JVM's CPU so far and its peak RSS (VmHWM: the kernel keeps the high-water mark, no sampling needed). */
    static Tool measure() {
      long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
      long peakKb = 0;
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("VmHWM:")) {
            peakKb = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
          }
        }
      } catch (IOException e) {
        // Not Linux: the peak stays unknown (0).
      }
      return new Tool(cpuNanos / 1e9, peakKb * 1024);
    }

    public String name() {
      return "tool";
    }

    public JsonObject toJson() {
      return new JsonObject().put("cpuSeconds", LatencySummary.round(cpuSeconds)).put("peakRssBytes", peakRssBytes);
    }

    public String describe() {
      return String.format(Locale.ROOT, "this tool used %.2f CPU s, peak RSS %s", cpuSeconds, Resources.mb(peakRssBytes));
    }
  }
}
