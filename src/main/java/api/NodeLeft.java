package api;

import io.vertx.core.json.JsonObject;

/** Body of a {@link BusAddresses#NODE_LEFT} message: the cluster node id of a member that left. */
public record NodeLeft(String nodeId) {

  public JsonObject toJson() {
    return new JsonObject().put("nodeId", nodeId);
  }

  public static NodeLeft fromJson(JsonObject json) {
    return new NodeLeft(json.getString("nodeId"));
  }
}
