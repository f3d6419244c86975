package hub;

import api.Action;
import api.BusAddresses;
import api.ConnectionClosed;
import api.ResultCode;
import api.SubscribeReply;
import api.SubscribeRequest;
import api.Subscription;
import api.UnsubscribeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import ops.BusRequestTimers;
import ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The hub's side of the plugin contract: requests to {@code changeserver.plugin.<pluginId>}, split into bounded
 * batches, every one with a timeout. Subscribe never fails: bus failures become result codes.
 */
final class PluginRequester {

  private static final Logger log = LoggerFactory.getLogger(PluginRequester.class);

  private final Vertx vertx;
  private final long timeoutMs;
  private final int batchSize;
  private final Predicate<String> knownPluginId;
  private final BusRequestTimers timers;

  /** {@code knownPluginId}: served by the deployment, even when no JVM serves it this instant (restarting). */
  PluginRequester(Vertx vertx, long timeoutMs, int batchSize, Predicate<String> knownPluginId) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.batchSize = batchSize;
    this.knownPluginId = knownPluginId;
    this.timers = new BusRequestTimers(Metrics.of(vertx).registry());
  }

  /** Whether the deployment serves this pluginId (announced, or configured as known). */
  boolean isKnown(String pluginId) {
    return knownPluginId.test(pluginId);
  }

  /** One result code per subscription, in order. */
  Future<int[]> subscribe(String pluginId, String connectionId, List<Subscription> subscriptions) {
    List<Future<int[]>> batches = new ArrayList<>();
    for (int from = 0; from < subscriptions.size(); from += batchSize) {
      List<Subscription> batch = subscriptions.subList(from, Math.min(subscriptions.size(), from + batchSize));
      batches.add(subscribeBatch(pluginId, new SubscribeRequest(connectionId, batch)));
    }
    return Future.all(batches).map(all -> {
      int[] results = new int[subscriptions.size()];
      int at = 0;
      for (Future<int[]> batch : batches) {
        int[] codes = batch.result();
        System.arraycopy(codes, 0, results, at, codes.length);
        at += codes.length;
      }
      return results;
    });
  }

  Future<Void> unsubscribe(String pluginId, String connectionId, List<String> addresses) {
    List<Future<Object>> batches = new ArrayList<>();
    for (int from = 0; from < addresses.size(); from += batchSize) {
      List<String> batch = addresses.subList(from, Math.min(addresses.size(), from + batchSize));
      batches.add(request(pluginId, Action.UNSUBSCRIBE, new UnsubscribeRequest(connectionId, batch)));
    }
    return Future.join(batches).<Void>mapEmpty().otherwise(failure -> {
      log.atDebug().addKeyValue("pluginId", pluginId).addKeyValue("error", failure.toString()).log("unsubscribe not confirmed");
      return null;
    });
  }

  Future<Void> connectionClosed(String pluginId, String connectionId) {
    return request(pluginId, Action.CONNECTION_CLOSED, new ConnectionClosed(connectionId)).<Void>mapEmpty()
      .otherwise(failure -> {
        log.atDebug().addKeyValue("pluginId", pluginId).addKeyValue("error", failure.toString()).log("connectionClosed not confirmed");
        return null;
      });
  }

  private Future<int[]> subscribeBatch(String pluginId, SubscribeRequest request) {
    int count = request.addresses().size();
    return this.<SubscribeReply>request(pluginId, Action.SUBSCRIBE, request)
      .map(reply -> {
        int[] results = reply.results();
        if (results.length != count) {
          throw new IllegalStateException("plugin answered " + results.length + " results for " + count + " addresses");
        }
        return results;
      })
      .otherwise(failure -> filled(count, codeFor(pluginId, failure)));
  }

  private <T> Future<T> request(String pluginId, Action action, Object body) {
    DeliveryOptions options = new DeliveryOptions()
      .setSendTimeout(timeoutMs)
      .addHeader(BusAddresses.ACTION_HEADER, action.wireName());
    long startNanos = System.nanoTime();
    return vertx.eventBus().<T>request(BusAddresses.plugin(pluginId), body, options)
      .onComplete(reply -> timers.record(pluginId, action, startNanos, reply.succeeded()))
      .map(message -> message.body());
  }

  /**
   * -1 when the deployment does not serve the pluginId, 0 when the plugin failed, else 2: the safe answer when the
   * outcome is unknown (timeout, or a known plugin restarting — the hub holds the address and replays it).
   */
  private int codeFor(String pluginId, Throwable failure) {
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return isKnown(pluginId) ? ResultCode.CHANGED : ResultCode.UNSUPPORTED;
        case RECIPIENT_FAILURE:
          log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("error", reply.getMessage()).log("plugin failed a subscribe");
          return ResultCode.FAILED;
        default:
          log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("error", reply.getMessage()).log("subscribe unanswered");
          return ResultCode.CHANGED;
      }
    }
    log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("error", failure.toString()).log("subscribe failed");
    return ResultCode.FAILED;
  }

  private static int[] filled(int count, int code) {
    int[] results = new int[count];
    Arrays.fill(results, code);
    return results;
  }
}
