package api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Body of a {@link Action#SUBSCRIBE} request: {@code {connectionId, addresses:[{address, checkpoint?}]}}. */
public record SubscribeRequest(String connectionId, List<Subscription> addresses) {

  public JsonObject toJson() {
    JsonArray list = new JsonArray(new ArrayList<>(addresses.size()));
    for (Subscription subscription : addresses) {
      list.add(subscription.toJson());
    }
    return new JsonObject().put("connectionId", connectionId).put("addresses", list);
  }

  public static SubscribeRequest fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray("addresses");
    List<Subscription> addresses = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      addresses.add(Subscription.fromJson(list.getJsonObject(i)));
    }
    return new SubscribeRequest(json.getString("connectionId"), addresses);
  }
}
