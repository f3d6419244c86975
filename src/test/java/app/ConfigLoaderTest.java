package app;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
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

  private static final String FILE = "{\"role\":\"all\",\"hub\":{\"host\":\"127.0.0.1\",\"port\":8008},\"supervisor\":{\"heapMb\":{\"hub\":768}}}";

  @Test
  void anOverrideSetsANumberABooleanAndAStringAtAnyDepth() throws Exception {
    assertThat(ConfigLoader.load(FILE, Map.of(
      "CHANGE_SERVER_hub__port", "9000",
      "CHANGE_SERVER_hub__compression", "true",
      "CHANGE_SERVER_role", "hub",
      "CHANGE_SERVER_supervisor__heapMb__plugin", "384")).encode())
      .isEqualTo("{\"role\":\"hub\",\"hub\":{\"host\":\"127.0.0.1\",\"port\":9000,\"compression\":true},"
        + "\"supervisor\":{\"heapMb\":{\"hub\":768,\"plugin\":384}}}");
  }

  @Test
  void upperCaseNamesMatchTheKeysOfTheFileWhateverTheirCase() throws Exception {
    assertThat(ConfigLoader.load(FILE, Map.of("CHANGE_SERVER_HUB__PORT", "9000", "CHANGE_SERVER_SUPERVISOR__HEAPMB__HUB", "512")).encode())
      .isEqualTo("{\"role\":\"all\",\"hub\":{\"host\":\"127.0.0.1\",\"port\":9000},\"supervisor\":{\"heapMb\":{\"hub\":512}}}");
  }

  @Test
  void aKeyTheFileLacksIsCreatedAsSpelledWithItsLevels() throws Exception {
    assertThat(ConfigLoader.load("{}", Map.of("CHANGE_SERVER_hub__pluginWaitMs", "5000", "CHANGE_SERVER_cluster__kubernetes__serviceDns", "cs.ns.svc.cluster.local")).encode())
      .isEqualTo("{\"hub\":{\"pluginWaitMs\":5000},\"cluster\":{\"kubernetes\":{\"serviceDns\":\"cs.ns.svc.cluster.local\"}}}");
  }

  @Test
  void withoutAConfigFileTheEnvironmentAloneMakesTheConfig() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of("CHANGE_SERVER_role", "plugin", "CHANGE_SERVER_plugin", "fake")).encode())
      .isEqualTo("{\"plugin\":\"fake\",\"role\":\"plugin\"}");
  }

  @Test
  void objectsAndArraysAreJsonAndReplaceTheWholeValue() throws Exception {
    String conf = "{\"cluster\":{\"members\":[\"127.0.0.1\"]},\"hub\":{\"knownPluginIds\":[\"fake\",\"bitcoin\"]}}";
    assertThat(ConfigLoader.load(conf, Map.of("CHANGE_SERVER_cluster__members", "[\"10.0.0.1\", \"10.0.0.2:5701\"]",
      "CHANGE_SERVER_hub__knownPluginIds", "[]", "CHANGE_SERVER_logging", "{\"levels\":{\"hub\":\"DEBUG\"}}")).encode())
      .isEqualTo("{\"cluster\":{\"members\":[\"10.0.0.1\",\"10.0.0.2:5701\"]},\"hub\":{\"knownPluginIds\":[]},\"logging\":{\"levels\":{\"hub\":\"DEBUG\"}}}");
  }

  @Test
  void whatIsNotJsonStaysTheVerbatimStringAndQuotesMakeANumberAString() throws Exception {
    assertThat(ConfigLoader.load("{}", Map.of(
      "CHANGE_SERVER_a", " 0.0.0.0 ",
      "CHANGE_SERVER_b", "007",
      "CHANGE_SERVER_c", "\"2024\"",
      "CHANGE_SERVER_d", "-Xmx1g",
      "CHANGE_SERVER_e", "",
      "CHANGE_SERVER_f", "1.5",
      "CHANGE_SERVER_g", "TRUE")).encode())
      .isEqualTo("{\"a\":\" 0.0.0.0 \",\"b\":\"007\",\"c\":\"2024\",\"d\":\"-Xmx1g\",\"e\":\"\",\"f\":1.5,\"g\":\"TRUE\"}");
  }

  @Test
  void nullRemovesTheKeySoItsDefaultApplies() throws Exception {
    assertThat(ConfigLoader.load(FILE, Map.of("CHANGE_SERVER_hub__host", "null", "CHANGE_SERVER_supervisor__heapMb", "null")).encode())
      .isEqualTo("{\"role\":\"all\",\"hub\":{\"port\":8008},\"supervisor\":{}}");
  }

  @Test
  void aDeeperOverrideWinsOverAWholeSection() throws Exception {
    assertThat(ConfigLoader.load(FILE, Map.of("CHANGE_SERVER_hub", "{\"port\":1,\"host\":\"0.0.0.0\"}", "CHANGE_SERVER_hub__port", "2")).encode())
      .isEqualTo("{\"role\":\"all\",\"hub\":{\"port\":2,\"host\":\"0.0.0.0\"},\"supervisor\":{\"heapMb\":{\"hub\":768}}}");
  }

  @Test
  void otherVariablesAreIgnored() throws Exception {
    assertThat(ConfigLoader.load(FILE, Map.of("HUB__PORT", "1", "change_server_hub__port", "2", "CHANGE_SERVERhub", "3")).encode())
      .isEqualTo(new io.vertx.core.json.JsonObject(FILE).encode());
  }

  @Test
  void overridesComeBeforeReferencesSoTheyMayUseOrReplaceThem() throws Exception {
    String conf = "{\"plugins\":{\"blockbook\":{\"apiKeys\":{\"btcbook.nownodes.io\":\"${env:NOWNODES_API_KEY}\"}}}}";
    assertThat(ConfigLoader.load(conf, Map.of("CHANGE_SERVER_plugins__blockbook__apiKeys", "{}")).encode())
      .isEqualTo("{\"plugins\":{\"blockbook\":{\"apiKeys\":{}}}}");
    assertThat(ConfigLoader.load(conf, Map.of("CHANGE_SERVER_plugins__blockbook__apiKeys__btcbook.nownodes.io", "${env:BTC_KEY}", "BTC_KEY", "k1")).encode())
      .isEqualTo("{\"plugins\":{\"blockbook\":{\"apiKeys\":{\"btcbook.nownodes.io\":\"k1\"}}}}");
  }

  @Test
  void aPathThroughANonObjectIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(FILE, Map.of("CHANGE_SERVER_hub__port__x", "1")))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessage("environment variable CHANGE_SERVER_hub__port__x names a key inside hub.port, which is not an object");
    assertThatThrownBy(() -> ConfigLoader.load("{\"cluster\":{\"members\":[\"a\"]}}", Map.of("CHANGE_SERVER_cluster__members__0", "b")))
      .hasMessage("environment variable CHANGE_SERVER_cluster__members__0 names a key inside cluster.members, which is not an object");
  }

  @Test
  void anEmptyLevelIsAnError() {
    for (String name : new String[] {"CHANGE_SERVER_", "CHANGE_SERVER_hub___port", "CHANGE_SERVER_hub____port", "CHANGE_SERVER_hub__", "CHANGE_SERVER___hub"}) {
      assertThatThrownBy(() -> ConfigLoader.load(FILE, Map.of(name, "1")))
        .hasMessage("environment variable " + name + " does not name a config key: levels are separated by exactly two underscores");
    }
  }

  @Test
  void twoVariablesForOneKeyAreAnErrorNotAChoice() {
    Map<String, String> environment = new HashMap<>();
    environment.put("CHANGE_SERVER_HUB__PORT", "1");
    environment.put("CHANGE_SERVER_hub__port", "2");
    assertThatThrownBy(() -> ConfigLoader.load(FILE, environment))
      .hasMessage("environment variables CHANGE_SERVER_HUB__PORT and CHANGE_SERVER_hub__port both set config key hub.port");
  }

  @Test
  void aLevelMatchingKeysThatDifferOnlyInCaseMustBeSpelledExactly() throws Exception {
    String conf = "{\"apiKeys\":{\"Host\":\"a\",\"host\":\"b\"}}";
    assertThatThrownBy(() -> ConfigLoader.load(conf, Map.of("CHANGE_SERVER_APIKEYS__HOST", "c")))
      .hasMessage("environment variable CHANGE_SERVER_APIKEYS__HOST: HOST matches several config keys [Host, host]; spell the one meant exactly");
    assertThat(ConfigLoader.load(conf, Map.of("CHANGE_SERVER_APIKEYS__host", "c")).encode()).isEqualTo("{\"apiKeys\":{\"Host\":\"a\",\"host\":\"c\"}}");
  }

  @Test
  void brokenJsonIsAnErrorThatDoesNotEchoTheValue() {
    assertThatThrownBy(() -> ConfigLoader.load(FILE, Map.of("CHANGE_SERVER_hub", "{\"port\":s3cret")))
      .hasMessage("environment variable CHANGE_SERVER_hub starts a JSON object or array but is not valid JSON");
  }

  @Test
  void theNamesOfTheOverridesAreListedForTheLogAndRecognisedForChildren() {
    assertThat(ConfigOverrides.names(Map.of("CHANGE_SERVER_role", "hub", "PATH", "/bin", "CHANGE_SERVER_hub__port", "1")))
      .containsExactly("CHANGE_SERVER_hub__port", "CHANGE_SERVER_role");
    assertThat(ConfigOverrides.isOverride("CHANGE_SERVER_role")).isTrue();
    assertThat(ConfigOverrides.isOverride("LOG_LEVEL")).isFalse();
  }
}
