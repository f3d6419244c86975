package plugins.fake;

import api.plugin.Chain;
import plugins.host.PluginVerticle;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The {@code fake} plugin: one chain, no upstream. Config: {@code updateDelayMs} (default 1000). */
public final class FakePluginVerticle extends PluginVerticle {

  @Override
  protected List<Chain> createChains(JsonObject config) {
    return List.of(new FakeChain(vertx, config.getLong("updateDelayMs", 1000L)));
  }
}
