package chainworker;

import api.plugin.Chain;
import io.vertx.core.json.JsonObject;
import plugins.host.PluginVerticle;

import java.util.List;

/**
 * One plugin instance serving many EVM chains lazily (see {@link LazyEvmChain}): it announces every pluginId at once, so
 * hubs route subscribes to it from the start, and a chain costs a bus consumer until someone subscribes to it. The evmRpc
 * plugin runs it in its own JVM for the chains marked {@code lazy}. Config: {@code chains} (pluginId → chain worker
 * config, as {@link EvmSettings}), {@code idleStopMs} (default 600000; a chain's own entry wins), and
 * {@link PluginVerticle}'s keys.
 */
public final class LazyChainsVerticle extends PluginVerticle {

  static final long DEFAULT_IDLE_STOP_MS = 600_000;

  @Override
  protected List<Chain> createChains(JsonObject config) {
    JsonObject chains = config.getJsonObject("chains", new JsonObject());
    long idleStopMs = config.getLong("idleStopMs", DEFAULT_IDLE_STOP_MS);
    return chains.fieldNames().stream().sorted()
      .<Chain>map(pluginId -> {
        JsonObject chain = chains.getJsonObject(pluginId);
        return new LazyEvmChain(vertx, chain, chain.getLong("idleStopMs", idleStopMs));
      })
      .toList();
  }
}
