package app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @Test
  void environmentReferencesAreResolvedAnywhereInTheTree() throws Exception {
    String conf = "{\"plugins\":{\"evmRpc\":{\"apiKeys\":{\"rpc.example\":\"${env:RPC_KEY}\"},\"urls\":[\"https://rpc.example/${env:RPC_KEY}/v1\"]}}}";
    assertThat(ConfigLoader.load(conf, Map.of("RPC_KEY", "s3cret")).encode())
      .isEqualTo("{\"plugins\":{\"evmRpc\":{\"apiKeys\":{\"rpc.example\":\"s3cret\"},\"urls\":[\"https://rpc.example/s3cret/v1\"]}}}");
  }

  @Test
  void anUnsetVariableIsAnErrorNotAnEmptyKey() {
    assertThatThrownBy(() -> ConfigLoader.load("{\"k\":\"${env:MISSING_KEY}\"}", Map.of()))
      .hasMessage("config refers to environment variable MISSING_KEY, which is not set");
  }

  @Test
  void aBrokenInlineConfigIsReportedWithoutEchoingItsSecrets() {
    assertThatThrownBy(() -> ConfigLoader.load("{\"apiKey\":\"s3cret\"", Map.of()))
      .hasMessage("inline -conf is not a JSON object")
      .hasNoCause();
  }
}
