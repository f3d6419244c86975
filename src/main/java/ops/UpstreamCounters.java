package ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * One chain's upstream trouble, counted where it happens (RPC callers, upstream sockets) and read for stats and metrics
 * from whichever thread asks: adders, so neither side needs the other's thread.
 */
public final class UpstreamCounters {

  private final LongAdder errors = new LongAdder();
  private final LongAdder reconnects = new LongAdder();

  /** A call or connection attempt that failed, or a connection that dropped. */
  public void error() {
    errors.increment();
  }

  /** A connection re-established after a loss, or calls moved to another URL. */
  public void reconnect() {
    reconnects.increment();
  }

  public long errors() {
    return errors.sum();
  }

  public long reconnects() {
    return reconnects.sum();
  }
}
