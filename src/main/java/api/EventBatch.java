package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Events for the sockets of one hub, sent to {@link BusAddresses#hub}: {@code {events:[ChangeEvent…]}}. */
public record EventBatch(List<ChangeEvent> events) {

  static void write(EventBatch batch, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeArrayFieldStart("events");
    for (ChangeEvent event : batch.events) {
      event.write(out);
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  static EventBatch read(JsonParser in) throws IOException {
    List<ChangeEvent> events = new ArrayList<>();
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      if ("events".equals(in.currentName())) {
        StreamingJson.startArray(in);
        while (StreamingJson.nextElement(in)) {
          events.add(ChangeEvent.read(in));
        }
      } else {
        in.skipChildren();
      }
    }
    return new EventBatch(events);
  }
}
