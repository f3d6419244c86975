package api;

import io.vertx.core.json.JsonObject;

/** One address of a subscribe request, as the client sent it, with its checkpoint (null: unknown). */
public record Subscription(String address, String checkpoint) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("address", address);
    if (checkpoint != null) {
      json.put("checkpoint", checkpoint);
    }
    return json;
  }

  public static Subscription fromJson(JsonObject json) {
    return new Subscription(json.getString("address"), json.getString("checkpoint"));
  }
}
