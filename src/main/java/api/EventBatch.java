package api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Events for the sockets of one hub, sent to {@link BusAddresses#hub}: {@code {events:[ChangeEvent…]}}. */
public record EventBatch(List<ChangeEvent> events) {

  public JsonObject toJson() {
    JsonArray list = new JsonArray(new ArrayList<>(events.size()));
    for (ChangeEvent event : events) {
      list.add(event.toJson());
    }
    return new JsonObject().put("events", list);
  }

  public static EventBatch fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray("events");
    List<ChangeEvent> events = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      events.add(ChangeEvent.fromJson(list.getJsonObject(i)));
    }
    return new EventBatch(events);
  }
}
