package plugins.alchemy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import plugins.PluginCatalog;

import static org.assertj.core.api.Assertions.assertThat;

class AlchemySettingsTest {

  @Test
  void everyNetworkIsServedUnlessDisabledAndTheCatalogSaysSo() {
    assertThat(AlchemySettings.pluginIds(new JsonObject())).containsExactly("abstract", "arbitrum", "avalanche", "base", "binancesmartchain",
      "celo", "ethereum", "fantom", "optimism", "polygon", "rsk", "solana", "sonic", "zksync");
    JsonObject config = new JsonObject().put("networks", new JsonObject().put("fantom", new JsonObject().put("enabled", false)));
    assertThat(PluginCatalog.pluginIds("alchemy", config)).hasSize(13).doesNotContain("fantom");
    assertThat(PluginCatalog.isEnabled("alchemy", new JsonObject())).as("on by default: unkeyed it answers for solana").isTrue();
  }

  @Test
  void urlsAreBuiltFromTheTemplatesAndSecretsNeverPrinted() {
    AlchemySettings settings = AlchemySettings.fromJson(new JsonObject().put("authToken", "secret-token").put("apiKey", "secret-key")
      .put("webhook", new JsonObject().put("publicUrl", "https://change.example.com/")));
    AlchemyNetwork arbitrum = AlchemyNetwork.DEFAULTS.get("arbitrum");
    assertThat(settings.rpcUrl(arbitrum)).isEqualTo("https://arb-mainnet.g.alchemy.com/v2/secret-key");
    assertThat(settings.webhookUrl("arbitrum")).isEqualTo("https://change.example.com/webhook/alchemy/arbitrum");
    assertThat(settings.notifyUrl()).isEqualTo("https://dashboard.alchemy.com/api");
    assertThat(settings.toString()).doesNotContain("secret");
    assertThat(AlchemySettings.fromJson(new JsonObject().put("authToken", " ")).keyed()).isFalse();
    assertThat(AlchemySettings.fromJson(new JsonObject().put("maxAddressesPerWebhook", 1_000_000)).maxAddressesPerWebhook()).isEqualTo(100_000);
  }
}
