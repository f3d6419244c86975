package chainworker;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import testkit.AdminClient;
import testkit.AnvilNode;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WsTestClient;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The default topology from the built jar with an EVM chain on a real anvil: supervisor JVM (hub) → evmRpc plugin JVM
 * → one chain-worker JVM. Activity reaches the client, and a killed chain worker is restarted by its plugin and
 * reports, through the hub's replay, what happened on chain while it was down.
 */
class EvmTopologyIT {

  private final Vertx vertx = Vertx.vertx();
  private AnvilNode anvil;
  private JarProcess topology;

  @AfterEach
  void stop() {
    if (topology != null) {
      topology.close();
    }
    if (anvil != null) {
      anvil.close();
    }
    vertx.close();
  }

  @Test
  void activityIsReportedAndAKilledChainWorkerJvmLosesNothing() throws Exception {
    anvil = AnvilNode.start();
    AnvilChain chain = new AnvilChain(anvil);
    int hubPort = FreePorts.next();
    int adminPort = FreePorts.next();
    AdminClient admin = new AdminClient(adminPort);
    topology = JarProcess.start("evm-topology", new JsonObject()
      .put("hub", new JsonObject().put("port", hubPort))
      .put("admin", new JsonObject().put("port", adminPort))
      .put("cluster", new JsonObject().put("name", "it-" + UUID.randomUUID()).put("port", FreePorts.clusterPortBlocks(1)[0]).put("portCount", FreePorts.CLUSTER_PORT_BLOCK))
      .put("plugins", new JsonObject()
        .put("fake", new JsonObject().put("enabled", false))
        .put("blockbook", new JsonObject().put("enabled", false))
        .put("evmRpc", new JsonObject().put("chains", new JsonObject()
          .put("ethereum", new JsonObject().put("urls", new JsonArray().add(anvil.url())).put("pollIntervalMs", 250))))), false);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
      .until(() -> admin.pluginSubscriptions("ethereum") == 0);

    String watched = AnvilChain.freshAddress();
    try (WsTestClient client = WsTestClient.connect(vertx, hubPort)) {
      long head = chain.head();
      assertThat(client.call(subscribe(watched, head))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}");
      long mined = chain.sendEth(chain.account(0), watched, BigInteger.ONE);
      assertThat(client.next(Duration.ofSeconds(30)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"ethereum\",\"" + watched + "\",\"" + mined + "\"]}");

      List<ProcessHandle> plugins = topology.children();
      assertThat(plugins).as("one plugin JVM: evmRpc").hasSize(1);
      List<ProcessHandle> workers = plugins.get(0).children().toList();
      assertThat(workers).as("one chain-worker JVM: ethereum").hasSize(1);
      workers.get(0).destroyForcibly();
      await().atMost(Duration.ofSeconds(15)).until(() -> admin.pluginSubscriptions("ethereum") == -1);
      chain.sendEth(chain.account(1), watched, BigInteger.TWO);

      // The hub replays with the last checkpoint it knows (the update's block); the new worker's scan finds the payment.
      JsonObject update = new JsonObject(client.next(Duration.ofSeconds(90)));
      assertThat(update.getString("method")).as("%s", update).isEqualTo("update");
      assertThat(update.getJsonArray("params").getString(1)).isEqualTo(watched);
      assertThat(plugins.get(0).children().toList()).hasSize(1).doesNotContainAnyElementsOf(workers);
      await().atMost(Duration.ofSeconds(30)).until(() -> admin.pluginSubscriptions("ethereum") == 1);
    }
  }

  private static String subscribe(String address, long checkpoint) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"ethereum\",\"" + address + "\",\"" + checkpoint + "\"]],\"id\":1}";
  }
}
