package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.List;

/** Body of a {@link Action#UNSUBSCRIBE} request: {@code {connectionId, addresses:[string]}}; the reply is {@code {}}. */
public record UnsubscribeRequest(String connectionId, List<String> addresses) {

  static void write(UnsubscribeRequest request, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("connectionId", request.connectionId);
    StreamingJson.writeArrayField(out, "addresses", request.addresses, (address, json) -> json.writeString(address));
    out.writeEndObject();
  }

  static UnsubscribeRequest read(JsonParser in) throws IOException {
    String connectionId = null;
    List<String> addresses = List.of();
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "connectionId" -> connectionId = StreamingJson.text(in);
        case "addresses" -> addresses = StreamingJson.readArray(in, StreamingJson::text);
        default -> in.skipChildren();
      }
    }
    return new UnsubscribeRequest(StreamingJson.required(in, connectionId, "connectionId"), addresses);
  }
}
