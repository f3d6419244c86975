package plugins.blockbook;

import api.plugin.Chain;
import plugins.host.PluginVerticle;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The {@code blockbook} plugin: bitcoin, bitcoincash, litecoin, dogecoin and qtum through Blockbook WebSocket
 * servers, in one JVM. Config: {@code apiKeys} (host → key, filling {@code {{apiKey}}} in URLs) and
 * {@code chains.<pluginId>}, see {@link ChainSettings}; every chain is enabled unless its section says otherwise.
 */
public final class BlockbookPluginVerticle extends PluginVerticle {

  /** The pluginIds served with this config (also for the catalog, before the plugin announces itself). */
  public static List<String> pluginIds(JsonObject config) {
    JsonObject chains = chains(config);
    return ChainSettings.PLUGIN_IDS.stream().filter(pluginId -> chainConfig(chains, pluginId).getBoolean("enabled", true)).toList();
  }

  @Override
  protected List<Chain> createChains(JsonObject config) {
    JsonObject chains = chains(config);
    JsonObject apiKeys = config.getJsonObject("apiKeys", new JsonObject());
    return pluginIds(config).stream()
      .<Chain>map(pluginId -> new BlockbookChain(vertx, ChainSettings.fromJson(pluginId, chainConfig(chains, pluginId), apiKeys)))
      .toList();
  }

  private static JsonObject chains(JsonObject config) {
    return config.getJsonObject("chains", new JsonObject());
  }

  private static JsonObject chainConfig(JsonObject chains, String pluginId) {
    return chains.getJsonObject(pluginId, new JsonObject());
  }
}
