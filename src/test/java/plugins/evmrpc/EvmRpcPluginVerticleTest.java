package plugins.evmrpc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which chains the evmRpc plugin serves, and which of them get worker JVMs, from its config alone. */
class EvmRpcPluginVerticleTest {

  private static final JsonObject ONE_CHAIN = new JsonObject().put("urls", new JsonArray().add("http://127.0.0.1:8545"));

  @Test
  void withoutChainsTheBuiltInSetServesEveryEvmPluginIdOfEdgeAllLazy() {
    JsonObject config = new JsonObject().put("apiKeys", new JsonObject().put("host", "key"));

    assertThat(EvmRpcPluginVerticle.pluginIds(config)).containsExactly("abstract", "arbitrum", "avalanche", "base", "binancesmartchain",
      "bobevm", "botanix", "celo", "ethereum", "ethereumclassic", "ethereumpow", "fantom", "filecoinfevm", "hyperevm", "optimism",
      "polygon", "pulsechain", "rsk", "sonic", "telos", "zksync");
    assertThat(EvmRpcPluginVerticle.workerPluginIds(config)).as("no worker JVM: every chain is lazy").isEmpty();
    assertThat(EvmRpcPluginVerticle.withBuiltInChains(config).getJsonObject("apiKeys")).as("the operator's keys stay").isEqualTo(config.getJsonObject("apiKeys"));
  }

  @Test
  void theBuiltInChainsKeepEdgesUrls() {
    JsonObject chains = EvmRpcPluginVerticle.withBuiltInChains(new JsonObject()).getJsonObject("chains");

    assertThat(chains.getJsonObject("telos").getJsonArray("urls"))
      .containsExactly("https://rpc.telos.net", "https://telos.drpc.org", "https://mainnet.telos.net/evm");
    assertThat(chains.getJsonObject("telos").getJsonArray("etherscanV1Urls")).containsExactly("https://api.teloscan.io");
    assertThat(chains.getJsonObject("botanix").getJsonArray("etherscanV1Urls"))
      .containsExactly("https://api.routescan.io/v2/network/mainnet/evm/3637/etherscan");
  }

  @Test
  void namedChainsReplaceTheBuiltInSetAndAreEagerUnlessMarkedLazy() {
    JsonObject config = new JsonObject().put("chains", new JsonObject()
      .put("ethereum", ONE_CHAIN.copy())
      .put("sonic", ONE_CHAIN.copy().put("lazy", true))
      .put("celo", ONE_CHAIN.copy().put("enabled", false)));

    assertThat(EvmRpcPluginVerticle.pluginIds(config)).containsExactly("ethereum", "sonic");
    assertThat(EvmRpcPluginVerticle.workerPluginIds(config)).containsExactly("ethereum");
    assertThat(EvmRpcPluginVerticle.workerPluginIds(config.copy().put("lazy", true))).isEmpty();
  }

  @Test
  void theLazyChainsConfigCarriesEachChainsWorkerConfigAndThePluginKeys() {
    JsonObject config = new JsonObject().put("idleStopMs", 1_000).put("scanTimeoutMs", 5_000).put("apiKeys", new JsonObject().put("h", "k"))
      .put("chains", new JsonObject().put("sonic", ONE_CHAIN.copy()));

    JsonObject lazy = EvmRpcPluginVerticle.lazyChainsConfig(config, java.util.List.of("sonic"));

    assertThat(lazy.getLong("idleStopMs")).isEqualTo(1_000);
    assertThat(lazy.getLong("scanTimeoutMs")).isEqualTo(5_000);
    assertThat(lazy.getJsonObject("chains").getJsonObject("sonic").getString("pluginId")).isEqualTo("sonic");
    assertThat(lazy.getJsonObject("chains").getJsonObject("sonic").getJsonObject("apiKeys")).isEqualTo(new JsonObject().put("h", "k"));
  }
}
