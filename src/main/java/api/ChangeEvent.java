package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

/**
 * One notification for one connection: {@code {connectionId, type, pluginId, address, checkpoint?, instanceId?}}. The
 * address is the exact string that connection subscribed with. A subLost names the plugin instance that lost the
 * address, so that a hub ignores one from an instance that no longer owns it (it moved meanwhile).
 */
public record ChangeEvent(String connectionId, EventType type, String pluginId, String address, String checkpoint, String instanceId) {

  /** An update: any instance's is welcome (a duplicate costs one re-sync, a loss a payment). */
  public static ChangeEvent update(String connectionId, String pluginId, String address, String checkpoint) {
    return new ChangeEvent(connectionId, EventType.UPDATE, pluginId, address, checkpoint, null);
  }

  public static ChangeEvent subLost(String connectionId, String pluginId, String address, String instanceId) {
    return new ChangeEvent(connectionId, EventType.SUB_LOST, pluginId, address, null, instanceId);
  }

  void write(JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("connectionId", connectionId);
    out.writeStringField("type", type.wireName());
    out.writeStringField("pluginId", pluginId);
    out.writeStringField("address", address);
    if (checkpoint != null) {
      out.writeStringField("checkpoint", checkpoint);
    }
    if (instanceId != null) {
      out.writeStringField("instanceId", instanceId);
    }
    out.writeEndObject();
  }

  static ChangeEvent read(JsonParser in) throws IOException {
    String connectionId = null;
    String type = null;
    String pluginId = null;
    String address = null;
    String checkpoint = null;
    String instanceId = null;
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "connectionId" -> connectionId = StreamingJson.text(in);
        case "type" -> type = StreamingJson.text(in);
        case "pluginId" -> pluginId = StreamingJson.text(in);
        case "address" -> address = StreamingJson.text(in);
        case "checkpoint" -> checkpoint = StreamingJson.text(in);
        case "instanceId" -> instanceId = StreamingJson.text(in);
        default -> in.skipChildren();
      }
    }
    return new ChangeEvent(
      StreamingJson.required(in, connectionId, "connectionId"),
      EventType.fromWire(StreamingJson.required(in, type, "type")),
      StreamingJson.required(in, pluginId, "pluginId"),
      StreamingJson.required(in, address, "address"),
      checkpoint,
      instanceId);
  }
}
