package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Body of a {@link Action#SUBSCRIBE} request: {@code {connectionId, addresses:[{address, checkpoint?}]}}. */
public record SubscribeRequest(String connectionId, List<Subscription> addresses) {

  static void write(SubscribeRequest request, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("connectionId", request.connectionId);
    out.writeArrayFieldStart("addresses");
    for (Subscription subscription : request.addresses) {
      subscription.write(out);
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  static SubscribeRequest read(JsonParser in) throws IOException {
    String connectionId = null;
    List<Subscription> addresses = new ArrayList<>();
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "connectionId" -> connectionId = StreamingJson.text(in);
        case "addresses" -> {
          StreamingJson.startArray(in);
          while (StreamingJson.nextElement(in)) {
            addresses.add(Subscription.read(in));
          }
        }
        default -> in.skipChildren();
      }
    }
    return new SubscribeRequest(StreamingJson.required(in, connectionId, "connectionId"), addresses);
  }
}
