package hub;

/** Messages a socket may send: {@code burst} at once, refilled at {@code perSecond}. Used from one event loop. */
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

  boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - refilledAtNanos) * perNano);
    refilledAtNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
