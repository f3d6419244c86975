package bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters every socket group updates from its own event loop and the run reads while it waits: they tell when a
 * phase is done. Per-call latencies stay in the groups ({@link LatencySamples}); only totals are shared.
 */
final class LoadCounters {

  /** First updates of an expected (socket, address) pair, from the plugin's watches (checkpoint null). */
  final LongAdder watchUpdates = new LongAdder();
  /** Repeated updates of a pair already seen (checkpoint null). */
  final LongAdder duplicateUpdates = new LongAdder();
  /** Updates for an address the socket never subscribed, or of another pluginId. */
  final LongAdder unexpectedUpdates = new LongAdder();
  /** Updates carrying an emit time (the burst phase). */
  final LongAdder burstUpdates = new LongAdder();
  final LongAdder subLost = new LongAdder();
  /** Sockets the server closed, or that failed, before the close phase. */
  final LongAdder unexpectedCloses = new LongAdder();
  final AtomicReference<String> firstUnexpectedClose = new AtomicReference<>();
  /** Storm sockets served right now: every address answered on their current connection ({@link EdgeSocket}). */
  final AtomicInteger stormServedSockets = new AtomicInteger();
  /** Updates for their own addresses the storm sockets received: a restarted plugin watches every address afresh. */
  final LongAdder stormUpdates = new LongAdder();

  final TimeSpan watchUpdateTimes = new TimeSpan();
  final TimeSpan burstUpdateTimes = new TimeSpan();

  void unexpectedClose(String why) {
    unexpectedCloses.increment();
    firstUnexpectedClose.compareAndSet(null, why);
  }

  /** First and last {@link System#nanoTime()} of a kind of event; {@link Long#MAX_VALUE}/{@link Long#MIN_VALUE} if none. */
  static final class TimeSpan {
    private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    void mark(long nanos) {
      if (nanos < first.get()) {
        first.accumulateAndGet(nanos, Math::min);
      }
      if (nanos > last.get()) {
        last.accumulateAndGet(nanos, Math::max);
      }
    }

    boolean isEmpty() {
      return first.get() == Long.MAX_VALUE;
    }

    long first() {
      return first.get();
    }

    long last() {
      return last.get();
    }

    /** Events per second over the span, 0 if the span is too short to say. */
    double ratePerSecond(long events) {
      long spanNanos = last.get() - first.get();
      return isEmpty() || spanNanos <= 0 ? 0 : events * 1e9 / spanNanos;
    }
  }
}
