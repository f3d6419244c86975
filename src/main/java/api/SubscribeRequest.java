package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.List;

/** Body of a {@link Action#SUBSCRIBE} request: {@code {connectionId, addresses:[{address, checkpoint?}]}}. */
public record SubscribeRequest(String connectionId, List<Subscription> addresses) {

  static void write(SubscribeRequest request, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("connectionId", request.connectionId);
    StreamingJson.writeArrayField(out, "addresses", request.addresses, Subscription::write);
    out.writeEndObject();
  }

  static SubscribeRequest read(JsonParser in) throws IOException {
    String connectionId = null;
    List<Subscription> addresses = List.of();
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "connectionId" -> connectionId = StreamingJson.text(in);
        case "addresses" -> addresses = StreamingJson.readArray(in, Subscription::read);
        default -> in.skipChildren();
      }
    }
    return new SubscribeRequest(StreamingJson.required(in, connectionId, "connectionId"), addresses);
  }
}
