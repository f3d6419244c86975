package bench;

import java.util.Arrays;

/**
 * Latency samples in microseconds, kept whole so that percentiles are exact. Not thread-safe: each socket group owns
 * its own and the run merges them once the phase is over. A million samples cost 8 MB, which is the largest a run
 * makes (one subscribe call per subscription).
 */
final class LatencySamples {

  private long[] micros = new long[1024];
  private int count;

  void record(long valueMicros) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, micros.length * 2);
    }
    micros[count++] = valueMicros;
  }

  void addAll(LatencySamples other) {
    for (int i = 0; i < other.count; i++) {
      record(other.micros[i]);
    }
  }

  LatencySamples copy() {
    LatencySamples copy = new LatencySamples();
    copy.micros = Arrays.copyOf(micros, Math.max(count, 1));
    copy.count = count;
    return copy;
  }

  int count() {
    return count;
  }

  LatencySummary summary() {
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    return new LatencySummary(count, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
      count == 0 ? 0 : sorted[count - 1] / 1000.0);
  }

  /** Nearest-rank percentile, in milliseconds. */
  private static double percentile(long[] sorted, int percent) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1000.0;
  }
}
