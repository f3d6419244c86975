package hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hub's config section ({@code "hub"}), with its defaults.
 *
 * @param host           interface the WebSocket server binds to
 * @param port           WebSocket port
 * @param busTimeoutMs   how long a request to a plugin may take; a subscribe that times out answers 2
 * @param busBatchSize   addresses per bus request; a larger client call is split
 * @param knownPluginIds  pluginIds the deployment serves even before their JVM has announced itself (answer 2, not -1)
 * @param replayConcurrency sockets replayed at once after a plugin restart
 * @param trustedProxies  peers whose {@code X-Forwarded-For} header names the real client
 * @param limits          what one client may ask, see {@link HubLimits}
 */
record HubSettings(String host, int port, long busTimeoutMs, int busBatchSize, Set<String> knownPluginIds,
                   int replayConcurrency, Set<String> trustedProxies, HubLimits limits) {

  static HubSettings fromJson(JsonObject json) {
    return new HubSettings(
      json.getString("host", "127.0.0.1"),
      json.getInteger("port", 8008),
      json.getLong("busTimeoutMs", 20_000L),
      json.getInteger("busBatchSize", 1_000),
      strings(json.getJsonArray("knownPluginIds", new JsonArray())),
      json.getInteger("replayConcurrency", 4),
      strings(json.getJsonArray("trustedProxies", new JsonArray())),
      HubLimits.fromJson(json.getJsonObject("limits", new JsonObject())));
  }

  private static Set<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).collect(Collectors.toSet());
  }
}
