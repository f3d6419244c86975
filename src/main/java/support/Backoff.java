package support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between attempts (reconnects, restarts): doubling from {@code minMs} to {@code maxMs}, back to {@code minMs}
 * after {@link #reset}. With jitter, each delay is drawn from its upper half, so that many clients dropped together
 * (a server restart) do not come back in lockstep. Not thread-safe: used from one context.
 */
public final class Backoff {

  private final long minMs;
  private final long maxMs;
  private final boolean jitter;
  private long nextMs;

  public Backoff(long minMs, long maxMs, boolean jitter) {
    this.minMs = minMs;
    this.maxMs = Math.max(minMs, maxMs);
    this.jitter = jitter;
    this.nextMs = minMs;
  }

  public long nextDelayMs() {
    long delay = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return jitter ? delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1) : delay;
  }

  public void reset() {
    nextMs = minMs;
  }
}
