package api;

import api.plugin.ChainStatus;
import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.json.JsonObject;

import java.io.IOException;

/**
 * Reply to a {@link Action#STATS} request: the size of one instance's subscription state for one pluginId, and where
 * its chain stands: {@code {pluginId, watchedAddresses, subscriptions, connections, headHeight?, processedHeight?,
 * lagBlocks?, upstreamUp?, upstreamErrors?, upstreamReconnects?}}. The chain fields are left out for a chain without an
 * upstream.
 */
public record PluginStats(String pluginId, int watchedAddresses, int subscriptions, int connections, ChainStatus chain) {

  /** The same fields as JSON, for {@code /stats}. */
  public JsonObject toJson() {
    return new JsonObject(new String(BusCodecs.STATS.toBytes(this), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Two instances' states of the same pluginId added up; the chain is the one further ahead. */
  public PluginStats plus(PluginStats other) {
    ChainStatus ahead = other.chain.processedHeight() > chain.processedHeight() ? other.chain : chain;
    return new PluginStats(pluginId, watchedAddresses + other.watchedAddresses, subscriptions + other.subscriptions,
      connections + other.connections, ahead);
  }

  static void write(PluginStats stats, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("pluginId", stats.pluginId);
    out.writeNumberField("watchedAddresses", stats.watchedAddresses);
    out.writeNumberField("subscriptions", stats.subscriptions);
    out.writeNumberField("connections", stats.connections);
    ChainStatus chain = stats.chain;
    if (chain.hasUpstream()) {
      out.writeNumberField("headHeight", chain.headHeight());
      out.writeNumberField("processedHeight", chain.processedHeight());
      out.writeNumberField("lagBlocks", chain.lagBlocks());
      out.writeBooleanField("upstreamUp", chain.upstreamUp());
      out.writeNumberField("upstreamErrors", chain.upstreamErrors());
      out.writeNumberField("upstreamReconnects", chain.reconnects());
    }
    out.writeEndObject();
  }

  static PluginStats read(JsonParser in) throws IOException {
    String pluginId = null;
    int watched = 0;
    int subscriptions = 0;
    int connections = 0;
    long head = -1;
    long processed = -1;
    Boolean upstreamUp = null;
    long errors = 0;
    long reconnects = 0;
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      switch (in.currentName()) {
        case "pluginId" -> pluginId = StreamingJson.text(in);
        case "watchedAddresses" -> watched = StreamingJson.integer(in);
        case "subscriptions" -> subscriptions = StreamingJson.integer(in);
        case "connections" -> connections = StreamingJson.integer(in);
        case "headHeight" -> head = in.getLongValue();
        case "processedHeight" -> processed = in.getLongValue();
        case "upstreamUp" -> upstreamUp = in.getBooleanValue();
        case "upstreamErrors" -> errors = in.getLongValue();
        case "upstreamReconnects" -> reconnects = in.getLongValue();
        default -> in.skipChildren();
      }
    }
    ChainStatus chain = upstreamUp == null ? ChainStatus.NO_UPSTREAM : new ChainStatus(head, processed, upstreamUp, errors, reconnects);
    return new PluginStats(StreamingJson.required(in, pluginId, "pluginId"), watched, subscriptions, connections, chain);
  }
}
