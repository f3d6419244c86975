package api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Body of a {@link Action#UNSUBSCRIBE} request: {@code {connectionId, addresses:[string]}}; the reply is {@code {}}. */
public record UnsubscribeRequest(String connectionId, List<String> addresses) {

  public JsonObject toJson() {
    return new JsonObject().put("connectionId", connectionId).put("addresses", new JsonArray(new ArrayList<>(addresses)));
  }

  public static UnsubscribeRequest fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray("addresses");
    List<String> addresses = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      addresses.add(list.getString(i));
    }
    return new UnsubscribeRequest(json.getString("connectionId"), addresses);
  }
}
