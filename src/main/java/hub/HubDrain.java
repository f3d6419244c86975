package hub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A hub's rolling-restart drain, one per JVM (every {@link HubVerticle} instance registers its sockets here). Started on
 * SIGTERM: {@code /ready} turns 503 at once, the hub keeps serving for {@code drainDelayMs} while load balancers stop
 * sending to it, then closes its sockets with 1001, evenly spread over {@code drainMs}. Edge's wallet reconnects
 * exactly 5 s after a close, without jitter (PROTOCOL.md): closing every socket at once would bring all of them to the
 * other hubs in the same second, spreading the closes spreads the reconnects. A socket that connects while the closes
 * run is closed at once.
 */
public final class HubDrain implements Shareable {

  private static final Logger log = LoggerFactory.getLogger(HubDrain.class);
  private static final String KEY = "changeserver.hubDrain";
  /** How often the spread closes the sockets that are due: finer than Vert.x timers would gain nothing. */
  private static final long TICK_MS = 10;
  /**
   * The most of the spread one tick may cover. A tick that comes late (a collection, a starved CPU) closes this much's
   * worth, not everything that fell due meanwhile: a stall lengthens the drain instead of bunching its closes, which
   * would bring their wallets back to the other hubs in the same second.
   */
  private static final long MAX_STEP_MS = 3 * TICK_MS;

  /** One hub verticle instance: its event loop, and its open sockets (read on that event loop only). */
  private record Listener(Context context, Supplier<Collection<ClientSession>> sessions) {
  }

  private record Due(Context context, ClientSession session) {
  }

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile long delayMs;
  private volatile long spreadMs;
  private volatile boolean draining;
  private volatile boolean closing;

  public static HubDrain of(Vertx vertx) {
    return (HubDrain) vertx.sharedData().getLocalMap("changeserver").computeIfAbsent(KEY, k -> new HubDrain());
  }

  /** A hub verticle instance's sockets, with its settings (every instance has the same ones). */
  void register(Context context, Supplier<Collection<ClientSession>> sessions, long drainDelayMs, long drainMs) {
    listeners.add(new Listener(context, sessions));
    delayMs = drainDelayMs;
    spreadMs = drainMs;
  }

  /** Whether a hub runs in this JVM, so that SIGTERM has something to drain. */
  public boolean hasHub() {
    return !listeners.isEmpty();
  }

  /** Set from the drain's start: {@code /ready} answers 503. */
  public boolean draining() {
    return draining;
  }

  /** Set once the closes have begun: a new socket is closed at once. */
  boolean closing() {
    return closing;
  }

  /** Runs the drain once; completes when every socket open at the end of the delay has been closed. */
  public synchronized Future<Void> start(Vertx vertx) {
    if (draining) {
      return Future.succeededFuture();
    }
    draining = true;
    long startedAt = System.nanoTime();
    log.atInfo().addKeyValue("drainDelayMs", delayMs).addKeyValue("drainMs", spreadMs).log("hub draining: not ready");
    Promise<Void> done = Promise.promise();
    vertx.setTimer(Math.max(1, delayMs), id -> {
      closing = true;
      snapshot().compose(sockets -> closeSpread(vertx, sockets)).onComplete(closed -> {
        List<Integer> perSecond = closed.succeeded() ? closed.result() : List.of();
        log.atInfo().addKeyValue("sockets", perSecond.stream().mapToInt(Integer::intValue).sum())
          .addKeyValue("closesPerSecond", perSecond.toString())
          .addKeyValue("ms", (System.nanoTime() - startedAt) / 1_000_000).log("hub drained");
        done.complete();
      });
    });
    return done.future();
  }

  /** Every listener's sockets, read on its own event loop, interleaved so that no event loop closes in a bunch. */
  private Future<List<Due>> snapshot() {
    List<Future<List<Due>>> perListener = new ArrayList<>();
    for (Listener listener : listeners) {
      Promise<List<Due>> sockets = Promise.promise();
      listener.context().runOnContext(v -> sockets.complete(listener.sessions().get().stream()
        .map(session -> new Due(listener.context(), session)).toList()));
      perListener.add(sockets.future());
    }
    return Future.all(perListener).map(all -> {
      List<List<Due>> lists = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        lists.add(all.resultAt(i));
      }
      List<Due> interleaved = new ArrayList<>();
      for (int i = 0; !lists.isEmpty(); i++) {
        int index = i;
        lists.removeIf(list -> list.size() <= index);
        lists.forEach(list -> interleaved.add(list.get(index)));
      }
      return interleaved;
    });
  }

  /**
   * Closes socket {@code i} of {@code n} at {@code i × drainMs / n} of the spread's own clock, which follows the real
   * one but advances at most {@link #MAX_STEP_MS} per tick. Completes once every close has run, with how many ran in
   * each second from the first (the drained line shows them: the spread's evenness as the hub itself kept it).
   */
  private Future<List<Integer>> closeSpread(Vertx vertx, List<Due> sockets) {
    if (sockets.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Context drainContext = vertx.getOrCreateContext();
    Promise<List<Integer>> done = Promise.promise();
    // Each slot is written by its own close, and read after the last close's decrement.
    long[] closedAtNanos = new long[sockets.size()];
    AtomicInteger open = new AtomicInteger(sockets.size());
    long[] lastTickNanos = {System.nanoTime()};
    long[] spreadClockNanos = {0};
    int[] next = {0};
    vertx.setPeriodic(0, TICK_MS, timer -> {
      long now = System.nanoTime();
      spreadClockNanos[0] += Math.min(MAX_STEP_MS * 1_000_000, now - lastTickNanos[0]);
      lastTickNanos[0] = now;
      // Sockets due by now: the (i+1)-th falls due at i × spread / n.
      long due = spreadMs <= 0 ? sockets.size() : Math.min(sockets.size(), spreadClockNanos[0] * sockets.size() / (spreadMs * 1_000_000) + 1);
      for (; next[0] < due; next[0]++) {
        Due socket = sockets.get(next[0]);
        int index = next[0];
        socket.context().runOnContext(v -> {
          socket.session().close(CloseReason.DRAIN);
          closedAtNanos[index] = System.nanoTime();
          if (open.decrementAndGet() == 0) {
            drainContext.runOnContext(last -> done.complete(perSecond(closedAtNanos)));
          }
        });
      }
      if (next[0] == sockets.size()) {
        vertx.cancelTimer(timer);
      }
    });
    return done.future();
  }

  /** How many of {@code nanos} fall in each whole second from the earliest. */
  private static List<Integer> perSecond(long[] nanos) {
    long first = Arrays.stream(nanos).min().orElseThrow();
    int[] counts = new int[(int) ((Arrays.stream(nanos).max().orElseThrow() - first) / 1_000_000_000L) + 1];
    for (long at : nanos) {
      counts[(int) ((at - first) / 1_000_000_000L)]++;
    }
    return Arrays.stream(counts).boxed().toList();
  }
}
