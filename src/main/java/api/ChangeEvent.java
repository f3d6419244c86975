package api;

import io.vertx.core.json.JsonObject;

/**
 * One notification for one connection: {@code {connectionId, type, pluginId, address, checkpoint?}}. The address is the
 * exact string that connection subscribed with.
 */
public record ChangeEvent(String connectionId, EventType type, String pluginId, String address, String checkpoint) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("connectionId", connectionId)
      .put("type", type.wireName())
      .put("pluginId", pluginId)
      .put("address", address);
    if (checkpoint != null) {
      json.put("checkpoint", checkpoint);
    }
    return json;
  }

  public static ChangeEvent fromJson(JsonObject json) {
    return new ChangeEvent(
      json.getString("connectionId"),
      EventType.fromWire(json.getString("type")),
      json.getString("pluginId"),
      json.getString("address"),
      json.getString("checkpoint"));
  }
}
