package bench;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.BitSet;

/**
 * One load socket: sends its subscribe calls, times their replies, and checks off the updates it receives against
 * the addresses it subscribed. Lives on its group's event loop only.
 */
final class BenchSocket implements ServerMessages {

  /**
   * A checkpoint above this is read as an emit time in epoch microseconds (any date after 2001), not a block height:
   * that is how burst updates are told from the plugin's ordinary ones.
   */
  private static final long EMIT_MICROS_FLOOR = 1_000_000_000_000_000L;

  private final int index;
  private final WebSocket webSocket;
  private final LoadPlan plan;
  private final AddressScheme scheme;
  private final LoadCounters counters;
  private final GroupTally tally;
  /** Addresses (by index) whose update has arrived. */
  private final BitSet updated;
  /** Send time of each call by id, 0 once answered; null when no call is outstanding. */
  private long[] sentNanos;
  private int unanswered;

  BenchSocket(int index, WebSocket webSocket, LoadPlan plan, AddressScheme scheme, LoadCounters counters, GroupTally tally) {
    this.index = index;
    this.webSocket = webSocket;
    this.plan = plan;
    this.scheme = scheme;
    this.counters = counters;
    this.tally = tally;
    this.updated = new BitSet(plan.addresses());
  }

  int index() {
    return index;
  }

  WebSocket webSocket() {
    return webSocket;
  }

  int missingUpdates() {
    return plan.addresses() - updated.cardinality();
  }

  /** Sends all of this socket's subscribe calls at once, {@code batch} tuples each. */
  void subscribe() {
    int calls = plan.callsPerSocket();
    if (webSocket.isClosed()) {
      tally.callsSent += calls;
      tally.lost(calls);
      return;
    }
    sentNanos = new long[calls];
    unanswered = calls;
    for (int call = 0; call < calls; call++) {
      int from = call * plan.batch();
      int to = Math.min(plan.addresses(), from + plan.batch());
      String text = RpcText.subscribe(call, plan.pluginId(), i -> scheme.address(index, i), from, to, plan.checkpoint());
      sentNanos[call] = System.nanoTime();
      tally.callsSent++;
      webSocket.writeTextMessage(text);
    }
  }

  /** The server closed the socket (or it failed) outside the close phase: its outstanding calls will never be answered. */
  void onLost() {
    if (unanswered > 0) {
      int lost = unanswered;
      unanswered = 0;
      sentNanos = null;
      tally.lost(lost);
    }
  }

  @Override
  public void onUpdate(JsonArray tuple) {
    long receivedNanos = System.nanoTime();
    int addressIndex = ServerMessages.addressIndex(tuple, index, plan, scheme);
    if (addressIndex < 0) {
      counters.unexpectedUpdates.increment();
      return;
    }
    long emitMicros = emitMicros(tuple.size() > 2 ? tuple.getValue(2) : null);
    if (emitMicros > 0) {
      counters.burstUpdates.increment();
      counters.burstUpdateTimes.mark(receivedNanos);
      tally.burstUpdate(emitMicros, nowMicros() - emitMicros);
    } else if (updated.get(addressIndex)) {
      counters.duplicateUpdates.increment();
      counters.watchUpdateTimes.mark(receivedNanos);
    } else {
      updated.set(addressIndex);
      counters.watchUpdates.increment();
      counters.watchUpdateTimes.mark(receivedNanos);
    }
  }

  @Override
  public void onSubLost() {
    counters.subLost.increment();
  }

  @Override
  public void onReply(JsonObject reply) {
    Object id = reply.getValue("id");
    int call = id instanceof Number number ? number.intValue() : -1;
    if (sentNanos == null || call < 0 || call >= sentNanos.length || sentNanos[call] == 0) {
      onUnreadable("reply to a call never sent, or answered twice: id " + id);
      return;
    }
    long latencyMicros = (System.nanoTime() - sentNanos[call]) / 1000;
    sentNanos[call] = 0;
    if (--unanswered == 0) {
      sentNanos = null;
    }
    Object result = reply.getValue("result");
    if (result instanceof JsonArray codes) {
      for (Object code : codes) {
        if (!(code instanceof Number number) || number.intValue() != 1) {
          tally.resultsNotOne++;
        }
      }
    } else {
      tally.errorReplies++;
      tally.error("subscribe answered " + ServerMessages.abbreviate(reply.encode()));
    }
    tally.answered(latencyMicros);
  }

  @Override
  public void onUnreadable(String what) {
    tally.protocolErrors++;
    tally.error(what);
  }

  /** The emit time a burst update carries as its checkpoint, or 0 for an ordinary update. */
  private static long emitMicros(Object checkpoint) {
    if (!(checkpoint instanceof String text)) {
      return 0;
    }
    try {
      long value = Long.parseLong(text);
      return value > EMIT_MICROS_FLOOR ? value : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Wall-clock time, since the server stamps emit times with its own wall clock (same machine). */
  private static long nowMicros() {
    Instant now = Clock.systemUTC().instant();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
