package app.supervision;

/**
 * Restart delays: {@code initialMs} doubling up to {@code maxMs}; a child that ran at least {@code stableMs} counts
 * as healthy again and restarts after {@code initialMs}.
 */
final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private final long stableMs;
  private long nextMs;

  Backoff(long initialMs, long maxMs, long stableMs) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.stableMs = stableMs;
    this.nextMs = initialMs;
  }

  /** The delay before the next start of a child that just exited after running {@code uptimeMs}. */
  long delayAfter(long uptimeMs) {
    if (uptimeMs >= stableMs) {
      nextMs = initialMs;
    }
    long delay = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return delay;
  }
}
