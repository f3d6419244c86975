package testkit;

import api.PluginStats;
import hub.routing.BusPluginClient;
import hub.routing.PluginDirectory;
import hub.routing.PluginInstance;
import hub.routing.PluginView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Asks a pluginId's instances for their state over the bus, as a hub's admin endpoint does: finds them by their
 * announcements, then asks each. Runs on a context of its own, like a verticle.
 */
public final class PluginProbe {

  private PluginProbe() {
  }

  /** Every instance's stats of {@code pluginId}, in no particular order; waits up to 10 s for one to be up. */
  public static List<PluginStats> perInstance(Vertx vertx, String pluginId) {
    return onContext(vertx, () -> {
      PluginDirectory directory = new PluginDirectory(vertx, Set.of(pluginId), 0, p -> { });
      BusPluginClient client = new BusPluginClient(vertx, 5_000, 1);
      return directory.start()
        .compose(v -> directory.whenServed(pluginId, 10_000))
        .compose(served -> {
          PluginView view = directory.view(pluginId);
          List<Future<PluginStats>> answers = new ArrayList<>();
          for (PluginInstance instance : view.all()) {
            answers.add(client.stats(instance, pluginId));
          }
          return Future.all(answers).map(all -> answers.stream().map(Future::result).toList());
        })
        .eventually(directory::stop);
    });
  }

  /** The instances' stats added up. */
  public static PluginStats total(Vertx vertx, String pluginId) {
    return perInstance(vertx, pluginId).stream().reduce(PluginStats::plus)
      .orElseThrow(() -> new AssertionError("no instance of " + pluginId + " is up"));
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
