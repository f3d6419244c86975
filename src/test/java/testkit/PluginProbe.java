package testkit;

import api.BurstRequest;
import api.PluginStats;
import api.Subscription;
import hub.routing.BusPluginClient;
import hub.routing.PluginClient;
import hub.routing.PluginDirectory;
import hub.routing.PluginInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Asks a pluginId's instances for their state over the bus, as a hub's admin endpoint does: finds them by their
 * announcements, then asks each. Runs on a context of its own, like a verticle.
 */
public final class PluginProbe {

  private static final long ANNOUNCE_ROUND_MS = 300;

  private PluginProbe() {
  }

  /** Every instance's stats of {@code pluginId}, in no particular order; waits up to 10 s for one to be up. */
  public static List<PluginStats> perInstance(Vertx vertx, String pluginId) {
    return withInstances(vertx, pluginId, (client, instance) -> client.stats(instance, pluginId));
  }

  /** The instances' stats added up. */
  public static PluginStats total(Vertx vertx, String pluginId) {
    return perInstance(vertx, pluginId).stream().reduce(PluginStats::plus)
      .orElseThrow(() -> new AssertionError("no instance of " + pluginId + " is up"));
  }

  /**
   * Activity for every address every instance watches, once each, within a second (the benchmark burst, sized per
   * instance); returns how many updates the instances scheduled.
   */
  public static long activityOnEveryAddress(Vertx vertx, String pluginId) {
    return withInstances(vertx, pluginId, (client, instance) -> client.burst(instance, pluginId, new BurstRequest(0, 1_000, true)))
      .stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Subscribes {@code addresses} for {@code connectionId} at every instance of {@code pluginId}, as a hub would; the
   * result codes of each instance.
   */
  public static List<int[]> subscribe(Vertx vertx, String pluginId, String connectionId, List<String> addresses) {
    List<Subscription> subscriptions = addresses.stream().map(address -> new Subscription(address, null)).toList();
    return withInstances(vertx, pluginId, (client, instance) -> client.subscribe(instance, pluginId, connectionId, subscriptions, false));
  }

  /** {@code request} of every instance of {@code pluginId} (up or draining), found as a hub finds them. */
  private static <T> List<T> withInstances(Vertx vertx, String pluginId, BiFunction<PluginClient, PluginInstance, Future<T>> request) {
    return onContext(vertx, () -> {
      PluginDirectory directory = new PluginDirectory(vertx, Set.of(pluginId), 0, 0, p -> { });
      BusPluginClient client = new BusPluginClient(vertx, 5_000, 1);
      return directory.start()
        .compose(v -> directory.whenServed(pluginId, 10_000))
        // The first instance's answer to the announce request is in; give the others' a moment.
        .compose(served -> vertx.timer(ANNOUNCE_ROUND_MS))
        .compose(served -> {
          List<Future<T>> answers = new ArrayList<>();
          for (PluginInstance instance : directory.view(pluginId).all()) {
            answers.add(request.apply(client, instance));
          }
          return Future.all(answers).map(all -> answers.stream().map(Future::result).toList());
        })
        .eventually(directory::stop);
    });
  }

  private static <T> T onContext(Vertx vertx, Supplier<Future<T>> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(result));
    try {
      return result.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
