package hub;

import api.BusAddresses;
import api.PluginAnnouncement;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which pluginIds the deployment serves, learnt from announcements (and the configured ones, known before their JVM is
 * up). A pluginId that is known but has no live handler is "restarting", not "unsupported". A new instanceId for a
 * pluginId means that instance starts empty: the listener replays what this hub holds for it.
 */
final class PluginDirectory {

  private final Vertx vertx;
  private final Set<String> configured;
  private final Map<String, String> instanceByPluginId = new HashMap<>();
  private final Map<String, String> nodeByPluginId = new HashMap<>();
  private final Consumer<String> onNewInstance;
  private MessageConsumer<JsonObject> announcements;

  PluginDirectory(Vertx vertx, Set<String> configured, Consumer<String> onNewInstance) {
    this.vertx = vertx;
    this.configured = new HashSet<>(configured);
    this.onNewInstance = onNewInstance;
  }

  /** Listens to announcements, then asks every live plugin to announce itself. */
  Future<Void> start() {
    announcements = vertx.eventBus().consumer(BusAddresses.ANNOUNCE, message -> announced(PluginAnnouncement.fromJson(message.body())));
    return announcements.completion().onSuccess(v -> vertx.eventBus().publish(BusAddresses.ANNOUNCE_REQUEST, new JsonObject()));
  }

  Future<Void> stop() {
    return announcements == null ? Future.succeededFuture() : announcements.unregister();
  }

  boolean isKnown(String pluginId) {
    return configured.contains(pluginId) || instanceByPluginId.containsKey(pluginId);
  }

  Set<String> knownPluginIds() {
    Set<String> known = new HashSet<>(configured);
    known.addAll(instanceByPluginId.keySet());
    return known;
  }

  /** The cluster node id of the JVM that last announced serving {@code pluginId}, or null when none has. */
  String announcedBy(String pluginId) {
    return nodeByPluginId.get(pluginId);
  }

  private void announced(PluginAnnouncement announcement) {
    for (String pluginId : announcement.pluginIds()) {
      nodeByPluginId.put(pluginId, announcement.nodeId());
      String previous = instanceByPluginId.put(pluginId, announcement.instanceId());
      // Also on a first sighting: this hub may hold subscriptions made before it heard of the previous instance.
      if (!announcement.instanceId().equals(previous)) {
        onNewInstance.accept(pluginId);
      }
    }
  }
}
