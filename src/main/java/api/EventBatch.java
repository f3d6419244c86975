package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.List;

/** Events for the sockets of one hub, sent to {@link BusAddresses#hub}: {@code {events:[ChangeEvent…]}}. */
public record EventBatch(List<ChangeEvent> events) {

  static void write(EventBatch batch, JsonGenerator out) throws IOException {
    out.writeStartObject();
    StreamingJson.writeArrayField(out, "events", batch.events, ChangeEvent::write);
    out.writeEndObject();
  }

  static EventBatch read(JsonParser in) throws IOException {
    List<ChangeEvent> events = List.of();
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      if ("events".equals(in.currentName())) {
        events = StreamingJson.readArray(in, ChangeEvent::read);
      } else {
        in.skipChildren();
      }
    }
    return new EventBatch(events);
  }
}
