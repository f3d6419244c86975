package hub.routing;

import api.ResultCode;
import api.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a client's subscriptions of one pluginId to the instances that own them. While no instance is up it waits up to
 * {@code pluginWaitMs} for one (start-up, restart) rather than answer 2 at once, which would make every wallet
 * re-sync. An instance that leaves before answering, or that nobody listens for, gets its part re-routed to the new
 * owner. Subscribe never fails: what cannot be known becomes a result code.
 */
public final class PluginRouter {

  private static final Logger log = LoggerFactory.getLogger(PluginRouter.class);
  /** Routing attempts per subscription: an owner leaving mid-request twice in a row is already rare. */
  private static final int ATTEMPTS = 3;
  /** Before trying an instance again that nobody listened for: its registration may still be spreading. */
  private static final long NO_HANDLER_RETRY_MS = 250;

  /**
   * The answer for each subscription, in order, and the instance it was sent to (null when none had it: the pluginId
   * is unserved right now, or every attempt failed); {@code viewVersion}: the newest view the owners were chosen in.
   */
  public record Routed(int[] codes, PluginInstance[] owners, long viewVersion) {
  }

  private final Vertx vertx;
  private final PluginDirectory directory;
  private final PluginClient client;
  private final long pluginWaitMs;

  public PluginRouter(Vertx vertx, PluginDirectory directory, PluginClient client, long pluginWaitMs) {
    this.vertx = vertx;
    this.directory = directory;
    this.client = client;
    this.pluginWaitMs = pluginWaitMs;
  }

  public PluginClient client() {
    return client;
  }

  public PluginDirectory directory() {
    return directory;
  }

  public Future<Routed> subscribe(String pluginId, String connectionId, List<Subscription> subscriptions) {
    return attempt(pluginId, connectionId, subscriptions, ATTEMPTS);
  }

  private Future<Routed> attempt(String pluginId, String connectionId, List<Subscription> subscriptions, int attemptsLeft) {
    return directory.whenServed(pluginId, pluginWaitMs).compose(view -> {
      int[] codes = new int[subscriptions.size()];
      PluginInstance[] owners = new PluginInstance[subscriptions.size()];
      if (view == null) {
        // Known: held by the hub, moved to the first instance that comes up. Unknown: no JVM serves it.
        Arrays.fill(codes, directory.isKnown(pluginId) ? ResultCode.CHANGED : ResultCode.UNSUPPORTED);
        return Future.succeededFuture(new Routed(codes, owners, 0));
      }
      Map<PluginInstance, List<Integer>> positionsByOwner = new LinkedHashMap<>();
      for (int i = 0; i < subscriptions.size(); i++) {
        positionsByOwner.computeIfAbsent(view.ownerOf(subscriptions.get(i).address()), o -> new ArrayList<>()).add(i);
      }
      List<Future<Void>> parts = new ArrayList<>(positionsByOwner.size());
      long[] newest = {view.version()};
      positionsByOwner.forEach((owner, positions) -> {
        List<Subscription> part = positions.size() == subscriptions.size() ? subscriptions : positions.stream().map(subscriptions::get).toList();
        parts.add(send(owner, view.version(), pluginId, connectionId, part, attemptsLeft).map(routed -> {
          for (int k = 0; k < positions.size(); k++) {
            codes[positions.get(k)] = routed.codes[k];
            owners[positions.get(k)] = routed.owners[k];
          }
          newest[0] = Math.max(newest[0], routed.viewVersion);
          return null;
        }));
      });
      return Future.all(parts).map(done -> new Routed(codes, owners, newest[0]));
    });
  }

  private Future<Routed> send(PluginInstance owner, long viewVersion, String pluginId, String connectionId, List<Subscription> part, int attemptsLeft) {
    return client.subscribe(owner, pluginId, connectionId, part, false).transform(reply -> {
      if (reply.succeeded()) {
        directory.answered(owner);
        return Future.succeededFuture(routed(reply.result(), owner, viewVersion));
      }
      Throwable failure = reply.cause();
      boolean departed = failure instanceof PluginInstance.InstanceDeparted;
      boolean nobodyListening = isNobodyListening(failure);
      if (departed || nobodyListening) {
        if (nobodyListening) {
          directory.nobodyListening(owner);
        }
        if (attemptsLeft > 1) {
          return departed ? attempt(pluginId, connectionId, part, attemptsLeft - 1)
            : later(NO_HANDLER_RETRY_MS).compose(v -> attempt(pluginId, connectionId, part, attemptsLeft - 1));
        }
        // Unplaced: answered 2, and moved to an owner as soon as the hub sees one.
        return Future.succeededFuture(routed(filled(part.size(), ResultCode.CHANGED), null, viewVersion));
      }
      // Sent, so the instance may hold it: it stays recorded there, whatever the answer.
      return Future.succeededFuture(routed(filled(part.size(), codeFor(pluginId, failure)), owner, viewVersion));
    });
  }

  /** The request reached no consumer: the instance's address is not (or not yet, or no longer) registered. */
  public static boolean isNobodyListening(Throwable failure) {
    return failure instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /** 0 when the plugin failed the request; 2 when the outcome is unknown (a timeout): one re-sync, never a lost payment. */
  private static int codeFor(String pluginId, Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("error", reply.getMessage()).log("plugin failed a subscribe");
      return ResultCode.FAILED;
    }
    log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("error", failure.toString()).log("subscribe unanswered");
    return ResultCode.CHANGED;
  }

  private Future<Void> later(long delayMs) {
    Promise<Void> timer = Promise.promise();
    vertx.setTimer(delayMs, id -> timer.complete());
    return timer.future();
  }

  private static Routed routed(int[] codes, PluginInstance owner, long viewVersion) {
    PluginInstance[] owners = new PluginInstance[codes.length];
    Arrays.fill(owners, owner);
    return new Routed(codes, owners, viewVersion);
  }

  private static int[] filled(int count, int code) {
    int[] results = new int[count];
    Arrays.fill(results, code);
    return results;
  }
}
