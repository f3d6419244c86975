package app;

import api.BusAddresses;
import api.BusCodecs;
import api.InstanceState;
import api.PluginAnnouncement;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Holds back a child JVM nobody needs at start (the evmRpc plugin when every chain of it is lazy) until the plugins
 * that answer the first subscribes have announced themselves up, or {@code maxWaitMs} passed: on a small machine its
 * start would otherwise compete with theirs for the CPU and delay the first answers. Subscribes for its pluginIds are
 * held by the hub meanwhile, like any known pluginId during start-up.
 */
final class LateStart {

  private LateStart() {
  }

  /** Completes once every one of {@code pluginIds} has an instance announced up, or after {@code maxWaitMs}. */
  static Future<Void> afterAnnounced(Vertx vertx, Collection<String> pluginIds, long maxWaitMs) {
    Set<String> pending = new HashSet<>(pluginIds);
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    BusCodecs.register(vertx);
    Promise<Void> ready = Promise.promise();
    MessageConsumer<PluginAnnouncement> consumer = vertx.eventBus().consumer(BusAddresses.ANNOUNCE, message -> {
      if (message.body().state() == InstanceState.UP) {
        pending.removeAll(message.body().pluginIds());
        if (pending.isEmpty()) {
          ready.tryComplete();
        }
      }
    });
    long timer = vertx.setTimer(maxWaitMs, id -> ready.tryComplete());
    return ready.future().onComplete(done -> {
      vertx.cancelTimer(timer);
      consumer.unregister();
    });
  }
}
