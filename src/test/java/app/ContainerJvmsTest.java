package app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which JVMs one start runs in its container: what the memory check adds up. */
class ContainerJvmsTest {

  private static final String TWO_EVM_CHAINS = "\"evmRpc\":{\"instances\":2,\"chains\":{\"ethereum\":{\"urls\":[\"http://127.0.0.1:8545\"]},"
    + "\"polygon\":{\"urls\":[\"http://127.0.0.1:8546\"]},\"base\":{\"enabled\":false,\"urls\":[\"http://127.0.0.1:8547\"]}}}";

  @Test
  void roleAllRunsTheHubAndOneJvmPerPluginInstanceAndEachChainWorker() {
    JsonObject config = new JsonObject("{\"plugins\":{\"fake\":{\"instances\":2},\"blockbook\":{\"enabled\":false}," + TWO_EVM_CHAINS + "}}");
    assertThat(ContainerJvms.roles(config, false))
      .containsExactly("hub", "plugin", "plugin", "plugin", "chainworker", "chainworker", "chainworker", "chainworker");
  }

  @Test
  void inlineTopologiesRunOneJvm() {
    assertThat(ContainerJvms.roles(new JsonObject("{\"topology\":\"inline\"}"), false)).containsExactly("hub");
    JsonObject inlineWorkers = new JsonObject("{\"plugins\":{\"blockbook\":{\"enabled\":false}," + TWO_EVM_CHAINS + "}}");
    inlineWorkers.getJsonObject("plugins").getJsonObject("evmRpc").put("inline", true);
    assertThat(ContainerJvms.roles(inlineWorkers, false)).containsExactly("hub", "plugin", "plugin");
  }

  @Test
  void aHubOrAPluginRoleRunsItselfAndAClusteredEvmRpcPluginItsChainWorkers() {
    assertThat(ContainerJvms.roles(new JsonObject("{\"role\":\"hub\"}"), true)).containsExactly("hub");
    assertThat(ContainerJvms.roles(new JsonObject("{\"role\":\"plugin\",\"plugin\":\"fake\"}"), true)).containsExactly("plugin");
    JsonObject evm = new JsonObject("{\"role\":\"plugin\",\"plugin\":\"evmRpc\",\"plugins\":{" + TWO_EVM_CHAINS + "}}");
    assertThat(ContainerJvms.roles(evm, true)).containsExactly("plugin", "chainworker", "chainworker", "chainworker", "chainworker");
    assertThat(ContainerJvms.roles(evm, false)).as("not clustered: chain workers inline").containsExactly("plugin");
    assertThat(ContainerJvms.roles(new JsonObject("{\"role\":\"chainworker\"}"), true)).containsExactly("chainworker");
  }
}
