package hub.routing;

import api.Action;
import api.BurstRequest;
import api.BusAddresses;
import api.BusCodecs;
import api.ConnectionClosed;
import api.PluginStats;
import api.SubscribeReply;
import api.SubscribeRequest;
import api.Subscription;
import api.UnsubscribeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import ops.BusRequestTimers;
import ops.Metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link PluginClient} over the clustered event bus: requests to the instance's own address, split into batches of at
 * most {@code batchSize} addresses, each with a timeout and timed per pluginId and action.
 */
public final class BusPluginClient implements PluginClient {

  private final Vertx vertx;
  private final long timeoutMs;
  private final int batchSize;
  private final BusRequestTimers timers;

  public BusPluginClient(Vertx vertx, long timeoutMs, int batchSize) {
    BusCodecs.register(vertx);
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.batchSize = batchSize;
    this.timers = new BusRequestTimers(Metrics.of(vertx).registry());
  }

  @Override
  public Future<int[]> subscribe(PluginInstance instance, String pluginId, String connectionId, List<Subscription> subscriptions,
                                 boolean handover) {
    List<Future<int[]>> batches = new ArrayList<>();
    for (List<Subscription> batch : split(subscriptions)) {
      int count = batch.size();
      batches.add(this.<SubscribeReply>request(instance, pluginId, Action.SUBSCRIBE, new SubscribeRequest(connectionId, batch, handover))
        .map(reply -> {
          if (reply.results().length != count) {
            throw new IllegalStateException("plugin answered " + reply.results().length + " results for " + count + " addresses");
          }
          return reply.results();
        }));
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

  @Override
  public Future<Void> unsubscribe(PluginInstance instance, String pluginId, String connectionId, List<String> addresses, boolean handover) {
    List<Future<Object>> batches = new ArrayList<>();
    for (List<String> batch : split(addresses)) {
      batches.add(request(instance, pluginId, Action.UNSUBSCRIBE, new UnsubscribeRequest(connectionId, batch, handover)));
    }
    return Future.all(batches).mapEmpty();
  }

  @Override
  public Future<Void> connectionClosed(PluginInstance instance, String pluginId, String connectionId) {
    return request(instance, pluginId, Action.CONNECTION_CLOSED, new ConnectionClosed(connectionId)).mapEmpty();
  }

  @Override
  public Future<PluginStats> stats(PluginInstance instance, String pluginId) {
    return request(instance, pluginId, Action.STATS, new JsonObject());
  }

  @Override
  public Future<Long> burst(PluginInstance instance, String pluginId, BurstRequest request) {
    return this.<JsonObject>request(instance, pluginId, Action.BURST, request.toJson()).map(reply -> reply.getLong("scheduled"));
  }

  /** Consecutive views of at most {@code batchSize} items. */
  private <T> List<List<T>> split(List<T> items) {
    List<List<T>> batches = new ArrayList<>();
    for (int from = 0; from < items.size(); from += batchSize) {
      batches.add(items.subList(from, Math.min(items.size(), from + batchSize)));
    }
    return batches;
  }

  /** The reply's body; fails with {@link PluginInstance.InstanceDeparted} the moment the instance leaves. */
  private <T> Future<T> request(PluginInstance instance, String pluginId, Action action, Object body) {
    DeliveryOptions options = new DeliveryOptions()
      .setSendTimeout(timeoutMs)
      .addHeader(BusAddresses.ACTION_HEADER, action.wireName());
    long startNanos = System.nanoTime();
    Future<T> reply = vertx.eventBus().<T>request(instance.address(pluginId), body, options)
      .onComplete(done -> timers.record(pluginId, action, startNanos, done.succeeded()))
      .map(message -> message.body());
    return instance.untilDeparture(reply);
  }
}
