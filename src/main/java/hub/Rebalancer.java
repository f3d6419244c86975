package hub;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Moves sockets' subscriptions when a pluginId's instances change ({@link ClientSession#rebalance}), a few sockets at a
 * time, so that a membership change under hundreds of thousands of subscriptions does not flood the bus or the
 * plugins' scans. A socket already queued for a pluginId is queued once; one being moved is moved again afterwards if
 * the instances changed meanwhile.
 */
final class Rebalancer {

  private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);
  /** After a move that could not be confirmed (a timeout, an instance leaving mid-move). */
  private static final long RETRY_MS = 1_000;

  private record Task(ClientSession session, String pluginId) {
  }

  private final Vertx vertx;
  private final int concurrency;
  private final Set<Task> queue = new LinkedHashSet<>();
  private final Set<Task> running = new HashSet<>();
  private final Set<Task> again = new HashSet<>();
  /** When the current round of checks began (0: idle) and what it moved, for the log line that sums a round up. */
  private long busySinceNanos;
  private long movedThisRound;

  Rebalancer(Vertx vertx, int concurrency) {
    this.vertx = vertx;
    this.concurrency = concurrency;
  }

  /** The instances of {@code pluginId} changed: every socket holding some of it is checked. */
  void viewChanged(String pluginId, Collection<ClientSession> sessions) {
    int queued = 0;
    for (ClientSession session : sessions) {
      if (session.holds(pluginId)) {
        enqueue(session, pluginId);
        queued++;
      }
    }
    if (queued > 0) {
      log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("sockets", queued).log("checking subscription owners");
    }
  }

  void enqueue(ClientSession session, String pluginId) {
    Task task = new Task(session, pluginId);
    if (running.contains(task)) {
      again.add(task);
    } else {
      queue.add(task);
    }
    drain();
  }

  void retryLater(ClientSession session, String pluginId) {
    vertx.setTimer(RETRY_MS, id -> enqueue(session, pluginId));
  }

  private void drain() {
    if (busySinceNanos == 0 && !queue.isEmpty()) {
      busySinceNanos = System.nanoTime();
    }
    Iterator<Task> next = queue.iterator();
    while (running.size() < concurrency && next.hasNext()) {
      Task task = next.next();
      next.remove();
      running.add(task);
      Future<Integer> done = task.session().rebalance(task.pluginId());
      done.onComplete(result -> {
        running.remove(task);
        movedThisRound += result.succeeded() ? result.result() : 0;
        if (again.remove(task)) {
          queue.add(task);
        }
        drain();
        if (queue.isEmpty() && running.isEmpty() && busySinceNanos != 0) {
          if (movedThisRound > 0) {
            log.atInfo().addKeyValue("subscriptions", movedThisRound).addKeyValue("ms", (System.nanoTime() - busySinceNanos) / 1_000_000)
              .log("subscriptions moved");
          }
          busySinceNanos = 0;
          movedThisRound = 0;
        }
      });
    }
  }
}
