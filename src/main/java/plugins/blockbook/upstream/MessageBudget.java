package plugins.blockbook.upstream;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/** A sliding-window count of messages sent on one connection, so that it is rotated before the server's limit. */
final class MessageBudget {

  private final int limit;
  private final long windowMs;
  private final LongSupplier clock;
  private final ArrayDeque<Long> sentAt = new ArrayDeque<>();

  MessageBudget(int limit, long windowMs, LongSupplier clock) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.clock = clock;
  }

  /** Counts one message if the window allows it. */
  boolean tryTake() {
    if (remaining() <= 0) {
      return false;
    }
    sentAt.addLast(clock.getAsLong());
    return true;
  }

  int remaining() {
    long oldest = clock.getAsLong() - windowMs;
    while (!sentAt.isEmpty() && sentAt.peekFirst() <= oldest) {
      sentAt.pollFirst();
    }
    return limit - sentAt.size();
  }
}
