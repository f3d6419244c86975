package api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Events for the sockets of one hub, sent to {@link BusAddresses#hub}: {@code {events:[ChangeEvent…]}}. */
public record EventBatch(List<ChangeEvent> events) {

  public JsonObject toJson() {
    JsonArray list = new JsonArray(new ArrayList<>(events.size()));
    for (ChangeEvent event : events) {
      list.add(event.toJson());
    }
    return new JsonObject().put("events", list);
  }

  /** Visits each event of an encoded batch as (connectionId, encoded event), without decoding the events. */
  public static void forEachEvent(JsonObject batch, BiConsumer<String, JsonObject> visitor) {
    JsonArray list = batch.getJsonArray("events");
    for (int i = 0; i < list.size(); i++) {
      JsonObject event = list.getJsonObject(i);
      visitor.accept(ChangeEvent.connectionIdOf(event), event);
    }
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
