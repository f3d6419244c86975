package plugins.fake;

import api.ResultCode;
import api.plugin.ActivitySink;
import api.plugin.Chain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference's test double (PROTOCOL.md, "The fake plugin"): every address is valid and unchanged; when an address
 * starts being watched, one update follows after {@code updateDelayMs} for everyone subscribed at that moment. Joining
 * a running watch starts nothing new; the watch and its timer end with the last subscriber.
 */
public final class FakeChain implements Chain {

  public static final String PLUGIN_ID = "fake";
  private static final Future<Integer> UNCHANGED = Future.succeededFuture(ResultCode.UNCHANGED);
  /**
   * Updates fired in one event-loop task at most. 200,000 addresses subscribed in one second come due in the same
   * second: firing them all in one task held every subscribe behind it for over a second (HostileClientIT).
   */
  private static final int FIRED_PER_TASK = 2_000;

  private final Vertx vertx;
  private final long updateDelayMs;
  /** Address → id of its pending watch; a watch leaves once its update has fired or its last subscriber has gone. */
  private final Map<String, Long> pending = new HashMap<>();
  /**
   * Watches in the order they fire (the delay is the same for all, so start order is due order). One Vert.x timer
   * serves the whole queue: a timer per address made 500,000 subscriptions pay 500,000 scheduler insertions.
   */
  private final ArrayDeque<Due> queue = new ArrayDeque<>();
  private long nextWatchId;
  private long timer = -1;
  private ActivitySink sink;

  private record Due(String address, long watchId, long dueNanos) {
  }

  public FakeChain(Vertx vertx, long updateDelayMs) {
    this.vertx = vertx;
    this.updateDelayMs = updateDelayMs;
  }

  @Override
  public String pluginId() {
    return PLUGIN_ID;
  }

  @Override
  public Future<Void> start(ActivitySink sink) {
    this.sink = sink;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    pending.clear();
    queue.clear();
    return Future.succeededFuture();
  }

  @Override
  public String normalize(String address) {
    return address.isEmpty() ? null : address;
  }

  @Override
  public Future<Integer> scan(String normalizedAddress, String checkpoint) {
    return UNCHANGED;
  }

  @Override
  public void watch(String normalizedAddress) {
    long watchId = ++nextWatchId;
    pending.put(normalizedAddress, watchId);
    queue.add(new Due(normalizedAddress, watchId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(updateDelayMs)));
    if (timer < 0) {
      scheduleNext();
    }
  }

  /**
   * An address handed over by a live instance keeps the watch it had there: that instance fires its pending update
   * ({@link #release}), so nothing is invented a second time (a move is not news to the wallet).
   */
  @Override
  public void adopt(String normalizedAddress) {
  }

  /** A watch handed over before its timer fired: its update goes out now, from here, to the same subscribers. */
  @Override
  public void release(String normalizedAddress) {
    if (pending.remove(normalizedAddress) != null) {
      sink.activity(normalizedAddress, null);
    }
  }

  /** The queued entry stays, and is skipped when it comes due: its watch id is no longer the pending one. */
  @Override
  public void unwatch(String normalizedAddress) {
    pending.remove(normalizedAddress);
  }

  private void scheduleNext() {
    Due head = queue.peek();
    if (head == null) {
      timer = -1;
      return;
    }
    long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(head.dueNanos() - System.nanoTime()));
    timer = vertx.setTimer(delayMs, id -> fireDue());
  }

  /** Fires what is due, a bounded slice per task: the next slice runs after the requests that queued meanwhile. */
  private void fireDue() {
    long now = System.nanoTime();
    for (int polled = 0; polled < FIRED_PER_TASK && !queue.isEmpty() && queue.peek().dueNanos() <= now; polled++) {
      Due due = queue.poll();
      if (pending.remove(due.address(), due.watchId())) {
        sink.activity(due.address(), null);
      }
    }
    scheduleNext();
  }

}
