package api;

import io.vertx.core.json.JsonObject;

/** Body of a {@link Action#CONNECTION_CLOSED} request: drop everything of that connection; the reply is {@code {}}. */
public record ConnectionClosed(String connectionId) {

  public JsonObject toJson() {
    return new JsonObject().put("connectionId", connectionId);
  }

  public static ConnectionClosed fromJson(JsonObject json) {
    return new ConnectionClosed(json.getString("connectionId"));
  }
}
