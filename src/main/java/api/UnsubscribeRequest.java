package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.List;

/**
 * Body of a {@link Action#UNSUBSCRIBE} request: {@code {connectionId, addresses:[string], handover?}}; the reply is
 * {@code {}}. {@code handover: true}: the addresses moved to another instance of the pluginId, which has them already;
 * anything this instance was about to report for them is reported now (see {@code Chain.release}).
 */
public record UnsubscribeRequest(String connectionId, List<String> addresses, boolean handover) {

  /** A client's own unsubscribe. */
  public UnsubscribeRequest(String connectionId, List<String> addresses) {
    this(connectionId, addresses, false);
  }

  static void write(UnsubscribeRequest request, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("connectionId", request.connectionId);
    StreamingJson.writeArrayField(out, "addresses", request.addresses, (address, json) -> json.writeString(address));
    if (request.handover) {
      out.writeBooleanField("handover", true);
    }
    out.writeEndObject();
  }

  static UnsubscribeRequest read(JsonParser in) throws IOException {
    String connectionId = null;
    List<String> addresses = List.of();
    boolean handover = false;
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "connectionId" -> connectionId = StreamingJson.text(in);
        case "addresses" -> addresses = StreamingJson.readArray(in, StreamingJson::text);
        case "handover" -> handover = in.currentToken() == JsonToken.VALUE_TRUE;
        default -> in.skipChildren();
      }
    }
    return new UnsubscribeRequest(StreamingJson.required(in, connectionId, "connectionId"), addresses, handover);
  }
}
