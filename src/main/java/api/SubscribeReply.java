package api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;

/** Reply to a {@link Action#SUBSCRIBE} request: one {@link ResultCode} per address, in the request's order. */
public record SubscribeReply(int[] results) {

  public JsonObject toJson() {
    JsonArray list = new JsonArray(new ArrayList<>(results.length));
    for (int result : results) {
      list.add(result);
    }
    return new JsonObject().put("results", list);
  }

  public static SubscribeReply fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray("results");
    int[] results = new int[list.size()];
    for (int i = 0; i < results.length; i++) {
      results[i] = list.getInteger(i);
    }
    return new SubscribeReply(results);
  }
}
