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

  /** True when everything the run expected happened: every socket opened, every call answered, every update came. */
  boolean complete() {
    for (Phase phase : phases) {
      if (phase instanceof Connect connect && connect.failed() > 0
        || phase instanceof Subscribe subscribe && (subscribe.lost() > 0 || subscribe.unanswered() > 0)
        || phase instanceof Updates updates && updates.missing() > 0) {
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

  record Connect(int opened, int failed, String firstFailure, long ms) implements Phase {
    public String name() {
      return "connect";
    }

    double perSecond() {
      return ms == 0 ? 0 : opened * 1000.0 / ms;
    }

    public JsonObject toJson() {
      return new JsonObject().put("opened", opened).put("failed", failed).put("firstFailure", firstFailure).put("ms", ms)
        .put("perSecond", Math.round(perSecond()));
    }

    public String describe() {
      return String.format(Locale.ROOT, "%,d sockets in %,d ms (%,.0f/s)%s", opened, ms, perSecond(),
        failed == 0 ? "" : String.format(Locale.ROOT, "; %,d FAILED, first: %s", failed, firstFailure));
    }
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
      return String.format(Locale.ROOT, "all closed in %,d ms; a fresh socket was served promptly %s %,d ms after the "
          + "close began (%d probes, %d failed, slowest %,d ms)", closeMs, settled ? "" : "NOT EVEN", settleMs, probes,
        failedProbes, worstProbeMs);
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
   */
  record Resources(long rootPid, long baselineRssBytes, long peakRssBytes, long rssAfterUpdatesBytes,
                   long rssAfterCloseBytes, long liveHeapBeforeBytes, long liveHeapAfterBytes, long subscriptions, Map<String, Double> phaseCpuSeconds, long cleanupMs,
                   List<ProcessTreeSampler.ProcessFigures> processes) implements Phase {
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
        .put("peakRssBytes", peakRssBytes).put("rssAfterUpdatesBytes", rssAfterUpdatesBytes)
        .put("rssAfterCloseBytes", rssAfterCloseBytes).put("bytesPerSubscription", Math.round(bytesPerSubscription()))
        .put("liveHeapBeforeBytes", liveHeapBeforeBytes).put("liveHeapAfterBytes", liveHeapAfterBytes)
        .put("liveHeapBytesPerSubscription", Math.round(liveHeapBytesPerSubscription()))
        .put("cpuSeconds", cpu).put("cleanupMs", cleanupMs).put("processes", perProcess);
    }

    public String describe() {
      StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
        "process tree of %d: RSS %s before, peak %s, %s after the updates (%,.0f bytes per subscription), %s after the close",
        rootPid, mb(baselineRssBytes), mb(peakRssBytes), mb(rssAfterUpdatesBytes), bytesPerSubscription(),
        mb(rssAfterCloseBytes)));
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
