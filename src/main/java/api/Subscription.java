package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

/** One address of a subscribe request, as the client sent it, with its checkpoint (null: unknown). */
public record Subscription(String address, String checkpoint) {

  /** {@code {address, checkpoint?}} */
  void write(JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("address", address);
    if (checkpoint != null) {
      out.writeStringField("checkpoint", checkpoint);
    }
    out.writeEndObject();
  }

  static Subscription read(JsonParser in) throws IOException {
    String address = null;
    String checkpoint = null;
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "address" -> address = StreamingJson.text(in);
        case "checkpoint" -> checkpoint = StreamingJson.text(in);
        default -> in.skipChildren();
      }
    }
    return new Subscription(address, checkpoint);
  }
}
