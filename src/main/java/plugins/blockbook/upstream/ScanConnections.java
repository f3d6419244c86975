package plugins.blockbook.upstream;

import support.Backoff;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The connections one chain uses for one-off requests ({@code getAccountInfo}, {@code getTransaction}), kept apart
 * from the address and block connections: Blockbook closes a connection after 42 distinct {@code getAccountInfo}
 * descriptors, so each scan connection takes at most {@code maxDescriptors} of them and is then retired (closed once
 * its replies are in) for a fresh one; the same happens before its message budget runs out. While the upstream
 * cannot be reached, requests fail at once instead of waiting for the scan timeout. Used from one context.
 */
public final class ScanConnections {

  private static final Logger log = LoggerFactory.getLogger(ScanConnections.class);
  /** Messages kept back from the budget for the socket's own pings while its replies drain. */
  private static final int BUDGET_RESERVE = 5;

  private record Job(String descriptor, String method, JsonObject params, Promise<JsonObject> reply) {
  }

  private final Connector connector;
  private final Backoff backoff;
  private final int maxDescriptors;
  private final String role;
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final Set<String> descriptors = new HashSet<>();
  private BlockbookSocket active;
  private boolean opening;
  private long downUntilMs;
  private boolean stopped;

  public ScanConnections(Connector connector, Backoff backoff, int maxDescriptors, String role) {
    this.connector = connector;
    this.backoff = backoff;
    this.maxDescriptors = maxDescriptors;
    this.role = role;
  }

  /** {@code getAccountInfo} for {@code params.descriptor}, counted against the connection's descriptor limit. */
  public Future<JsonObject> accountInfo(JsonObject params) {
    return enqueue(params.getString("descriptor"), "getAccountInfo", params);
  }

  /** Any other request (no descriptor limit applies). */
  public Future<JsonObject> request(String method, JsonObject params) {
    return enqueue(null, method, params);
  }

  public void stop() {
    stopped = true;
    if (active != null) {
      active.close();
    }
    failQueued();
  }

  private Future<JsonObject> enqueue(String descriptor, String method, JsonObject params) {
    if (stopped || active == null && System.currentTimeMillis() < downUntilMs) {
      return Future.failedFuture(new BlockbookException(BlockbookException.Kind.CLOSED, "upstream unreachable"));
    }
    Job job = new Job(descriptor, method, params, Promise.promise());
    queue.add(job);
    pump();
    return job.reply().future();
  }

  private void pump() {
    while (!queue.isEmpty()) {
      if (active != null && !active.isOpen()) {
        active = null;
      }
      if (active == null) {
        open();
        return;
      }
      Job job = queue.peek();
      boolean newDescriptor = job.descriptor() != null && !descriptors.contains(job.descriptor());
      if (newDescriptor && descriptors.size() >= maxDescriptors || active.budgetLeft() <= BUDGET_RESERVE) {
        active.closeWhenIdle();
        active = null;
        continue;
      }
      queue.poll();
      if (newDescriptor) {
        descriptors.add(job.descriptor());
      }
      active.request(job.method(), job.params()).onComplete(job.reply());
    }
  }

  private void open() {
    if (opening) {
      return;
    }
    opening = true;
    connector.open(role).onComplete(result -> {
      opening = false;
      if (stopped) {
        if (result.succeeded()) {
          result.result().close();
        }
        return;
      }
      if (result.succeeded()) {
        backoff.reset();
        active = result.result();
        descriptors.clear();
        pump();
      } else {
        downUntilMs = System.currentTimeMillis() + backoff.nextDelayMs();
        log.atDebug().addKeyValue("pluginId", UpstreamLink.pluginIdOf(role)).addKeyValue("link", role).addKeyValue("error", result.cause().toString())
          .log("upstream unreachable");
        failQueued();
      }
    });
  }

  private void failQueued() {
    BlockbookException unreachable = new BlockbookException(BlockbookException.Kind.CLOSED, "upstream unreachable");
    while (!queue.isEmpty()) {
      queue.poll().reply().tryFail(unreachable);
    }
  }
}
