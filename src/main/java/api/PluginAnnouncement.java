package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.List;

/**
 * Published on {@link BusAddresses#ANNOUNCE} by every plugin instance when it is ready, when it starts draining, when it
 * stops, every few seconds, and when asked: {@code {pluginIds, instanceId, nodeId, host, state}}. An instance serves each
 * of its pluginIds on {@link BusAddresses#plugin(String, String)}; a fresh {@code instanceId} per start tells hubs that
 * the instance holds nothing yet. {@code host} is for operators (which machine), never used for routing.
 */
public record PluginAnnouncement(List<String> pluginIds, String instanceId, String nodeId, String host, InstanceState state) {

  static void write(PluginAnnouncement announcement, JsonGenerator out) throws IOException {
    out.writeStartObject();
    StreamingJson.writeArrayField(out, "pluginIds", announcement.pluginIds, (pluginId, json) -> json.writeString(pluginId));
    out.writeStringField("instanceId", announcement.instanceId);
    out.writeStringField("nodeId", announcement.nodeId);
    out.writeStringField("host", announcement.host);
    out.writeStringField("state", announcement.state.wireName());
    out.writeEndObject();
  }

  static PluginAnnouncement read(JsonParser in) throws IOException {
    List<String> pluginIds = List.of();
    String instanceId = null;
    String nodeId = null;
    String host = null;
    String state = InstanceState.UP.wireName();
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "pluginIds" -> pluginIds = StreamingJson.readArray(in, StreamingJson::text);
        case "instanceId" -> instanceId = StreamingJson.text(in);
        case "nodeId" -> nodeId = StreamingJson.text(in);
        case "host" -> host = StreamingJson.text(in);
        case "state" -> state = StreamingJson.text(in);
        default -> in.skipChildren();
      }
    }
    return new PluginAnnouncement(List.copyOf(pluginIds), StreamingJson.required(in, instanceId, "instanceId"),
      StreamingJson.required(in, nodeId, "nodeId"), host, InstanceState.fromWire(state));
  }
}
