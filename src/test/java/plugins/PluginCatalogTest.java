package plugins;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginCatalogTest {

  private static final JsonObject POLLED_ETHEREUM = new JsonObject().put("chains", new JsonObject()
    .put("ethereum", new JsonObject().put("urls", new JsonArray().add("http://127.0.0.1:1"))));

  @Test
  void onePluginIdConfiguredInTwoPluginsRefusesToStartNamingBoth() {
    Map<String, JsonObject> plugins = new LinkedHashMap<>();
    plugins.put("evmRpc", POLLED_ETHEREUM);
    plugins.put("alchemy", new JsonObject());
    assertThat(PluginCatalog.pluginIds("alchemy", new JsonObject())).contains("ethereum", "solana");
    assertThatThrownBy(() -> PluginCatalog.requireOnePluginPerPluginId(plugins))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessage("pluginId ethereum is configured in both plugins.evmRpc and plugins.alchemy: serve it with one of them "
        + "(disable it in the other's chains or networks)");
  }

  @Test
  void pluginsThatShareNoPluginIdStart() {
    Map<String, JsonObject> plugins = new LinkedHashMap<>();
    plugins.put("evmRpc", POLLED_ETHEREUM);
    plugins.put("alchemy", new JsonObject().put("networks", new JsonObject().put("ethereum", new JsonObject().put("enabled", false))));
    plugins.put("fake", new JsonObject());
    assertThatNoException().isThrownBy(() -> PluginCatalog.requireOnePluginPerPluginId(plugins));
  }

  @Test
  void theBuiltInEvmChainsLeaveAnEnabledAlchemyPluginItsNetworks() {
    JsonObject config = new JsonObject().put("plugins", new JsonObject().put("alchemy", new JsonObject().put("authToken", "t")));
    assertThat(PluginCatalog.pluginIds("evmRpc", new JsonObject())).as("the built-in set").contains("ethereum", "telos");

    JsonObject resolved = PluginCatalog.builtInsYieldingToConfigured(config);

    JsonObject plugins = resolved.getJsonObject("plugins");
    assertThat(PluginCatalog.pluginIds("evmRpc", plugins.getJsonObject("evmRpc"))).contains("telos", "ethereumclassic")
      .doesNotContainAnyElementsOf(PluginCatalog.pluginIds("alchemy", plugins.getJsonObject("alchemy")));
    Map<String, JsonObject> enabled = new LinkedHashMap<>();
    enabled.put("evmRpc", plugins.getJsonObject("evmRpc"));
    enabled.put("alchemy", plugins.getJsonObject("alchemy"));
    assertThatNoException().isThrownBy(() -> PluginCatalog.requireOnePluginPerPluginId(enabled));
    assertThat(config.getJsonObject("plugins").containsKey("evmRpc")).as("the given config is left as it was").isFalse();
  }

  @Test
  void chainsConfiguredByHandAreLeftAsTheyAre() {
    JsonObject config = new JsonObject().put("plugins", new JsonObject().put("alchemy", new JsonObject().put("authToken", "t"))
      .put("evmRpc", POLLED_ETHEREUM));
    assertThat(PluginCatalog.builtInsYieldingToConfigured(config)).isEqualTo(config);
    JsonObject off = new JsonObject().put("plugins", new JsonObject().put("alchemy", new JsonObject().put("enabled", false)));
    assertThat(PluginCatalog.builtInsYieldingToConfigured(off)).as("alchemy off").isEqualTo(off);
  }

  /** The default run: no Alchemy token. Polling serves the EVM networks; Alchemy only what nothing else does, in the hub. */
  @Test
  void anUnkeyedAlchemyPluginKeepsOnlyWhatNoOtherPluginServesAndRunsInTheHubsJvm() {
    JsonObject resolved = PluginCatalog.builtInsYieldingToConfigured(new JsonObject());
    JsonObject alchemy = resolved.getJsonObject("plugins").getJsonObject("alchemy");
    assertThat(PluginCatalog.isEnabled("alchemy", alchemy)).isTrue();
    assertThat(PluginCatalog.pluginIds("alchemy", alchemy)).containsExactly("solana");
    assertThat(PluginCatalog.pluginIds("evmRpc", new JsonObject())).contains("ethereum", "zksync").doesNotContain("solana");
    assertThat(PluginCatalog.runsInHubJvm("alchemy", alchemy)).isTrue();
    assertThat(PluginCatalog.runsInHubJvm("alchemy", new JsonObject().put("authToken", "t"))).as("keyed: a JVM of its own").isFalse();
    assertThat(PluginCatalog.runsInHubJvm("evmRpc", new JsonObject())).isFalse();

    JsonObject polled = new JsonObject().put("plugins", new JsonObject().put("evmRpc", POLLED_ETHEREUM));
    JsonObject withChains = PluginCatalog.builtInsYieldingToConfigured(polled).getJsonObject("plugins");
    assertThat(PluginCatalog.pluginIds("alchemy", withChains.getJsonObject("alchemy"))).as("beside evmRpc chains configured by hand")
      .doesNotContain("ethereum").contains("solana", "polygon");
  }
}
