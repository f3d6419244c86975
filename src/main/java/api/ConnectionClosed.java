package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

/** Body of a {@link Action#CONNECTION_CLOSED} request: {@code {connectionId}}, drop everything of that connection; the reply is {@code {}}. */
public record ConnectionClosed(String connectionId) {

  static void write(ConnectionClosed request, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("connectionId", request.connectionId);
    out.writeEndObject();
  }

  static ConnectionClosed read(JsonParser in) throws IOException {
    String connectionId = null;
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      if ("connectionId".equals(in.currentName())) {
        connectionId = StreamingJson.text(in);
      } else {
        in.skipChildren();
      }
    }
    return new ConnectionClosed(StreamingJson.required(in, connectionId, "connectionId"));
  }
}
