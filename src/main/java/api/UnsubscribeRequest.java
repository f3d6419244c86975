package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Body of a {@link Action#UNSUBSCRIBE} request: {@code {connectionId, addresses:[string]}}; the reply is {@code {}}. */
public record UnsubscribeRequest(String connectionId, List<String> addresses) {

  static void write(UnsubscribeRequest request, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("connectionId", request.connectionId);
    out.writeArrayFieldStart("addresses");
    for (String address : request.addresses) {
      out.writeString(address);
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  static UnsubscribeRequest read(JsonParser in) throws IOException {
    String connectionId = null;
    List<String> addresses = new ArrayList<>();
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "connectionId" -> connectionId = StreamingJson.text(in);
        case "addresses" -> {
          StreamingJson.startArray(in);
          while (StreamingJson.nextElement(in)) {
            addresses.add(StreamingJson.text(in));
          }
        }
        default -> in.skipChildren();
      }
    }
    return new UnsubscribeRequest(StreamingJson.required(in, connectionId, "connectionId"), addresses);
  }
}
