package api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Published on {@link BusAddresses#ANNOUNCE} when a plugin or chain worker is ready. A fresh {@code instanceId} per start
 * tells hubs that the pluginIds' state was lost and must be replayed.
 */
public record PluginAnnouncement(List<String> pluginIds, String instanceId, String nodeId) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("pluginIds", new JsonArray(new ArrayList<>(pluginIds)))
      .put("instanceId", instanceId)
      .put("nodeId", nodeId);
  }

  public static PluginAnnouncement fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray("pluginIds");
    List<String> pluginIds = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      pluginIds.add(list.getString(i));
    }
    return new PluginAnnouncement(pluginIds, json.getString("instanceId"), json.getString("nodeId"));
  }
}
