package bench;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** Percentiles of one set of latencies, in milliseconds. */
record LatencySummary(int count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

  JsonObject toJson() {
    return new JsonObject().put("count", count).put("p50Ms", round(p50Ms)).put("p90Ms", round(p90Ms))
      .put("p99Ms", round(p99Ms)).put("maxMs", round(maxMs));
  }

  String describe() {
    return String.format(Locale.ROOT, "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%,d samples)",
      p50Ms, p90Ms, p99Ms, maxMs, count);
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
