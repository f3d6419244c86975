package plugins.blockbook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import plugins.blockbook.address.Network;

import static org.assertj.core.api.Assertions.assertThat;

class ChainSettingsTest {

  @Test
  void defaultsStayWithinTheLimitsOfABlockbookServer() {
    ChainSettings settings = ChainSettings.fromJson("dogecoin", new JsonObject(), new JsonObject());
    assertThat(settings.network()).isEqualTo(Network.MAINNET);
    assertThat(settings.newBlockTxs()).isTrue();
    assertThat(settings.maxAddressesPerConnection()).isEqualTo(100);
    assertThat(settings.maxDescriptorsPerScanConnection()).isLessThan(42);
    assertThat(settings.socket().pingIntervalMs()).isEqualTo(50_000);
    assertThat(settings.urls()).hasSize(1);
  }

  @Test
  void aConfiguredMaximumAboveTheServersLimitIsCapped() {
    JsonObject json = new JsonObject().put("maxAddressesPerConnection", 5_000).put("newBlockTxs", false).put("maxDescriptorsPerScanConnection", 100);
    ChainSettings settings = ChainSettings.fromJson("bitcoin", json, new JsonObject());
    assertThat(settings.maxAddressesPerConnection()).isEqualTo(1_000);
    assertThat(settings.maxDescriptorsPerScanConnection()).isEqualTo(42);
  }

  @Test
  void theApiKeyOfTheUrlsHostIsFilledInAndNeverShown() {
    JsonObject json = new JsonObject().put("urls", new JsonArray().add("wss://btc.example.com/wss/{{apiKey}}").add("ws://127.0.0.1:9130/websocket"));
    ChainSettings settings = ChainSettings.fromJson("bitcoin", json, new JsonObject().put("btc.example.com", "s3cret"));
    assertThat(settings.urls().get(0).url()).isEqualTo("wss://btc.example.com/wss/s3cret");
    assertThat(settings.urls().get(0)).hasToString("wss://btc.example.com/wss/***");
    assertThat(settings.urls().toString()).doesNotContain("s3cret");
    assertThat(settings.urls().get(1).url()).isEqualTo("ws://127.0.0.1:9130/websocket");
  }

  /** The hosted upstreams of Edge's server (src/plugins/allPlugins.ts), so that one NOWNodes key serves both. */
  @Test
  void theDefaultUpstreamsAreEdgesOwn() {
    assertThat(ChainSettings.DEFAULT_URLS).isEqualTo(java.util.Map.of(
      "bitcoin", "wss://btcbook.nownodes.io/wss/{{apiKey}}",
      "bitcoincash", "wss://bchbook.nownodes.io/wss/{{apiKey}}",
      "dogecoin", "wss://dogebook.nownodes.io/wss/{{apiKey}}",
      "litecoin", "wss://ltcbook.nownodes.io/wss/{{apiKey}}",
      "qtum", "wss://qtum-blockbook.nownodes.io/wss/{{apiKey}}"));
    assertThat(ChainSettings.fromJson("qtum", new JsonObject(), new JsonObject().put("qtum-blockbook.nownodes.io", "k")).urls().get(0).url())
      .isEqualTo("wss://qtum-blockbook.nownodes.io/wss/k");
  }
}
