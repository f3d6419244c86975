package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.List;

/**
 * Body of a {@link Action#SUBSCRIBE} request: {@code {connectionId, addresses:[{address, checkpoint?}], handover?}}.
 * {@code handover: true} marks subscriptions a hub moves from another instance that is still alive (one joined, one is
 * draining): that instance reports what it was about to (see {@code UnsubscribeRequest}), so this one starts its watch
 * with {@code Chain.adopt} and only the scan may report activity. Subscriptions replayed after their instance died are
 * not a handover: nobody is left to report anything, and a fresh watch starts (PROTOCOL.md, the fake plugin).
 */
public record SubscribeRequest(String connectionId, List<Subscription> addresses, boolean handover) {

  /** A client's own subscribe. */
  public SubscribeRequest(String connectionId, List<Subscription> addresses) {
    this(connectionId, addresses, false);
  }

  static void write(SubscribeRequest request, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("connectionId", request.connectionId);
    StreamingJson.writeArrayField(out, "addresses", request.addresses, Subscription::write);
    if (request.handover) {
      out.writeBooleanField("handover", true);
    }
    out.writeEndObject();
  }

  static SubscribeRequest read(JsonParser in) throws IOException {
    String connectionId = null;
    List<Subscription> addresses = List.of();
    boolean handover = false;
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "connectionId" -> connectionId = StreamingJson.text(in);
        case "addresses" -> addresses = StreamingJson.readArray(in, Subscription::read);
        case "handover" -> handover = in.currentToken() == JsonToken.VALUE_TRUE;
        default -> in.skipChildren();
      }
    }
    return new SubscribeRequest(StreamingJson.required(in, connectionId, "connectionId"), addresses, handover);
  }
}
