package hub.routing;

import api.BurstRequest;
import api.PluginStats;
import api.Subscription;

import java.util.List;

import io.vertx.core.Future;

/**
 * The hub's one way to talk to a plugin instance: every request of the contract (DESIGN.md, "Event-bus contract"),
 * each returning a Future, each bounded by a timeout, each failing with {@link PluginInstance.InstanceDeparted} as soon
 * as its instance leaves. Results are the plugin's; what a failure means for a client is the caller's to decide.
 */
public interface PluginClient {

  /** One result code per subscription, in order. {@code handover}: moved from another instance (see SubscribeRequest). */
  Future<int[]> subscribe(PluginInstance instance, String pluginId, String connectionId, List<Subscription> subscriptions, boolean handover);

  /** {@code handover}: the addresses moved to another instance (see UnsubscribeRequest). */
  Future<Void> unsubscribe(PluginInstance instance, String pluginId, String connectionId, List<String> addresses, boolean handover);

  Future<Void> connectionClosed(PluginInstance instance, String pluginId, String connectionId);

  Future<PluginStats> stats(PluginInstance instance, String pluginId);

  /** Benchmark only: how many updates the instance scheduled. */
  Future<Long> burst(PluginInstance instance, String pluginId, BurstRequest request);
}
