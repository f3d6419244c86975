package hub;

/**
 * A rate: {@code burst} at once, refilled at {@code perSecond}. {@link #tryTake} serves the per-socket message limit,
 * {@link #charge} and {@link #waitMs} a client address's tuple rate, which its sockets on several event loops share
 * (hence synchronized; uncontended locking costs next to nothing at these rates).
 */
final class TokenBucket {

  private final double perNano;
  private final double capacity;
  private double tokens;
  private long refilledAtNanos;

  TokenBucket(int perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
    this.refilledAtNanos = System.nanoTime();
  }

  /** Takes one token if there is one. */
  synchronized boolean tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Takes {@code amount} tokens, going into debt if there are fewer: what was already read is served. */
  synchronized void charge(int amount) {
    refill();
    tokens -= amount;
  }

  /** Milliseconds until the debt is paid off; 0 when none is owed. */
  synchronized long waitMs() {
    refill();
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano / 1e6);
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - refilledAtNanos) * perNano);
    refilledAtNanos = now;
  }
}
