package api;

import io.vertx.core.json.JsonObject;

/** Reply to a {@link Action#STATS} request: the size of one pluginId's subscription state. */
public record PluginStats(String pluginId, int watchedAddresses, int subscriptions, int connections) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("pluginId", pluginId)
      .put("watchedAddresses", watchedAddresses)
      .put("subscriptions", subscriptions)
      .put("connections", connections);
  }

  public static PluginStats fromJson(JsonObject json) {
    return new PluginStats(
      json.getString("pluginId"),
      json.getInteger("watchedAddresses"),
      json.getInteger("subscriptions"),
      json.getInteger("connections"));
  }
}
