package api;

import api.plugin.ChainStatus;
import io.vertx.core.json.JsonObject;

/**
 * Reply to a {@link Action#STATS} request: the size of one pluginId's subscription state, and where its chain stands.
 * The chain fields ({@code headHeight}, {@code processedHeight}, {@code lagBlocks}, {@code upstreamUp},
 * {@code upstreamErrors}, {@code upstreamReconnects}) are left out for a chain without an upstream.
 */
public record PluginStats(String pluginId, int watchedAddresses, int subscriptions, int connections, ChainStatus chain) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("pluginId", pluginId)
      .put("watchedAddresses", watchedAddresses)
      .put("subscriptions", subscriptions)
      .put("connections", connections);
    if (chain.hasUpstream()) {
      json.put("headHeight", chain.headHeight())
        .put("processedHeight", chain.processedHeight())
        .put("lagBlocks", chain.lagBlocks())
        .put("upstreamUp", chain.upstreamUp())
        .put("upstreamErrors", chain.upstreamErrors())
        .put("upstreamReconnects", chain.reconnects());
    }
    return json;
  }

  public static PluginStats fromJson(JsonObject json) {
    ChainStatus chain = !json.containsKey("upstreamUp") ? ChainStatus.NO_UPSTREAM : new ChainStatus(
      json.getLong("headHeight"),
      json.getLong("processedHeight"),
      json.getBoolean("upstreamUp"),
      json.getLong("upstreamErrors"),
      json.getLong("upstreamReconnects"));
    return new PluginStats(
      json.getString("pluginId"),
      json.getInteger("watchedAddresses"),
      json.getInteger("subscriptions"),
      json.getInteger("connections"),
      chain);
  }
}
