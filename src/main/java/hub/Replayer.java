package hub;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * Replays sockets' subscriptions to a plugin instance that started empty, a few sockets at a time, so that a restart
 * under hundreds of thousands of subscriptions does not flood the bus or the plugin's scans.
 */
final class Replayer {

  private static final Logger log = LoggerFactory.getLogger(Replayer.class);

  private record Task(ClientSession session, String pluginId) {
  }

  private final int concurrency;
  private final Deque<Task> queue = new ArrayDeque<>();
  private int running;

  Replayer(int concurrency) {
    this.concurrency = concurrency;
  }

  void replay(String pluginId, Collection<ClientSession> sessions) {
    int queued = 0;
    for (ClientSession session : sessions) {
      if (session.holds(pluginId)) {
        queue.add(new Task(session, pluginId));
        queued++;
      }
    }
    if (queued > 0) {
      log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("sockets", queued).log("replaying subscriptions");
    }
    drain();
  }

  private void drain() {
    while (running < concurrency && !queue.isEmpty()) {
      Task task = queue.poll();
      running++;
      Future<Void> done = task.session().replay(task.pluginId());
      done.onComplete(result -> {
        running--;
        drain();
      });
    }
  }
}
