package chainworker;

import api.plugin.Chain;
import plugins.host.PluginVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import ops.UpstreamCounters;

import java.util.ArrayList;
import java.util.List;

/**
 * Serves one EVM chain (one pluginId). Runs in its own JVM under the evmRpc plugin's supervision, or inline as a verticle
 * of any JVM. Config keys: see {@link EvmSettings}, e.g.
 * {@code {"pluginId":"ethereum","urls":["https://host/v2/{{apiKey}}","http://127.0.0.1:8545"],"apiKeys":{"host":"…"},
 * "newHeadsUrl":"wss://host/ws/v2/{{apiKey}}","etherscanUrls":["https://api.etherscan.io/v2/api?chainid=1&apikey={{apiKey}}"]}}.
 */
public final class ChainWorkerVerticle extends PluginVerticle {

  @Override
  protected List<Chain> createChains(JsonObject config) {
    return List.of(chain(vertx, config));
  }

  /** The chain a worker with this config serves: its RPC clients, explorers, follower and scanner (nothing started yet). */
  static Chain chain(Vertx vertx, JsonObject config) {
    EvmSettings settings = EvmSettings.fromJson(config);
    List<Upstream> upstreams = Upstream.resolveHttp(settings.urls(), settings.apiKeys());
    UpstreamCounters counters = new UpstreamCounters();
    List<EtherscanClient> explorers = new ArrayList<>();
    if (!settings.etherscanUrls().isEmpty()) {
      explorers.add(EtherscanClient.create(vertx, settings, Upstream.resolveHttp(settings.etherscanUrls(), settings.apiKeys()),
        EtherscanClient.V2_ACTIONS, counters));
    }
    if (!settings.etherscanV1Urls().isEmpty()) {
      explorers.add(EtherscanClient.create(vertx, settings, Upstream.resolveEtherscanV1(settings.etherscanV1Urls(), settings.apiKeys()),
        EtherscanClient.V1_ACTIONS, counters));
    }
    Upstream newHeads = settings.newHeadsUrl() == null ? null : Upstream.resolveWebSocket(settings.newHeadsUrl(), settings.apiKeys());
    return new EvmChain(vertx, settings, Web3jRpc.create(vertx, settings, upstreams, counters), explorers, newHeads, counters);
  }
}
