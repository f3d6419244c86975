package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WsTestClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar's default run serves every pluginId Edge's change server serves (EdgeApp/edge-change-server,
 * src/plugins/allPlugins.ts: fake, its 8 evmRpc chains and its 13 EVM Alchemy networks; Solana has no plugin here yet)
 * and the Blockbook chains: one subscribe with a valid and an invalid address on each, sent the moment the port accepts,
 * answers no -1. Every upstream points at a closed local port, so nothing leaves this host: a valid EVM address answers 2
 * (upstream down), an invalid one 0. The evmRpc section is the built-in one (every chain lazy) with only the URLs replaced.
 */
class EdgeParityIT {

  private static final String LOOPBACK = "127.0.0.1";
  /** Edge's pluginIds served by its evmRpc and (EVM) Alchemy plugins, as listed in its allPlugins.ts. */
  private static final List<String> EDGE_EVM_PLUGIN_IDS = List.of(
    "bobevm", "botanix", "ethereumclassic", "ethereumpow", "filecoinfevm", "hyperevm", "pulsechain", "telos",
    "abstract", "arbitrum", "avalanche", "base", "binancesmartchain", "celo", "ethereum", "fantom", "optimism", "polygon",
    "rsk", "sonic", "zksync");
  /** A valid and an invalid address of each Blockbook chain. */
  private static final Map<String, List<String>> BLOCKBOOK = Map.of(
    "bitcoin", List.of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "1notABitcoinAddress"),
    "bitcoincash", List.of("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "bitcoincash:nope"),
    "litecoin", List.of("ltc1qwppupnh0rd384f9ytxvh9l5qj6ch6ugnlmvzcl", "ltc1qxyz"),
    "dogecoin", List.of("DEQU7G2Chw4r1gSKZt2GfKBpGbkbQSwp3S", "Dnope"),
    "qtum", List.of("QX3gQrQsGHwsESPgme7iNHUJ4TTLjFp9pg", "Qnope"));
  /** Solana (Alchemy-only at Edge): the system program's key, 32 zero bytes in base58, and one that is not base58. */
  private static final String VALID_SOLANA = "11111111111111111111111111111111";
  private static final String INVALID_SOLANA = "0OIl-not-base58";
  private static final String VALID_EVM = "0x00000000000000000000000000000000000000e1";
  private static final String INVALID_EVM = "0x00e1";

  private final List<JarProcess> processes = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    processes.forEach(JarProcess::close);
    vertx.close();
  }

  @Test
  void theDefaultRunAnswersEveryEdgePluginIdAndNoneWithMinusOne() throws Exception {
    JsonObject builtIn = builtInEvmChains();
    assertThat(builtIn.getJsonObject("chains").fieldNames()).containsExactlyInAnyOrderElementsOf(EDGE_EVM_PLUGIN_IDS);
    JsonObject evmChains = new JsonObject();
    builtIn.getJsonObject("chains").forEach(entry -> evmChains.put(entry.getKey(), ((JsonObject) entry.getValue()).copy()
      .put("urls", new JsonArray().add("http://127.0.0.1:" + FreePorts.next()))
      .put("etherscanV1Urls", new JsonArray().add("http://127.0.0.1:" + FreePorts.next()))));
    JsonObject blockbookChains = new JsonObject();
    BLOCKBOOK.keySet().forEach(pluginId ->
      blockbookChains.put(pluginId, new JsonObject().put("urls", new JsonArray().add("ws://127.0.0.1:" + FreePorts.next() + "/"))));
    int hubPort = FreePorts.next();
    int[] clusterPorts = FreePorts.clusterPortBlocks(1);
    processes.add(JarProcess.start("edge-parity", new JsonObject()
      .put("hub", new JsonObject().put("port", hubPort))
      .put("admin", new JsonObject().put("port", FreePorts.next()).put("childMetricsPortBase", 0))
      .put("cluster", new JsonObject().put("name", "parity-" + UUID.randomUUID()).put("port", clusterPorts[0]).put("portCount", FreePorts.CLUSTER_PORT_BLOCK))
      .put("plugins", new JsonObject()
        .put("blockbook", new JsonObject().put("chains", blockbookChains))
        .put("evmRpc", builtIn.copy().put("chains", evmChains))), false));

    long startedAt = System.nanoTime();
    while (!accepts(hubPort)) {
      assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(60));
      Thread.sleep(10);
    }
    // pluginId, address → the results allowed.
    Map<List<String>, List<Integer>> expected = new LinkedHashMap<>();
    expected.put(List.of("fake", "abc"), List.of(1));
    for (String pluginId : EDGE_EVM_PLUGIN_IDS) {
      expected.put(List.of(pluginId, VALID_EVM), List.of(2));
      expected.put(List.of(pluginId, INVALID_EVM), List.of(0));
    }
    // No Alchemy token here: the alchemy plugin (in the hub's JVM) answers 2 for a valid key, 0 for an invalid one.
    expected.put(List.of("solana", VALID_SOLANA), List.of(2));
    expected.put(List.of("solana", INVALID_SOLANA), List.of(0));
    BLOCKBOOK.forEach((pluginId, addresses) -> {
      expected.put(List.of(pluginId, addresses.get(0)), List.of(1, 2));
      expected.put(List.of(pluginId, addresses.get(1)), List.of(0));
    });
    JsonArray params = new JsonArray();
    expected.keySet().forEach(tuple -> params.add(new JsonArray().add(tuple.get(0)).add(tuple.get(1)).add("100")));

    try (WsTestClient client = WsTestClient.connect(vertx, hubPort)) {
      long sentAt = System.nanoTime();
      JsonObject reply = new JsonObject(client.callSkippingNotifications(
        new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", 0).encode()));
      long answeredMs = Duration.ofNanos(System.nanoTime() - sentAt).toMillis();
      JsonArray results = reply.getJsonArray("result");
      Map<String, Integer> byTuple = new LinkedHashMap<>();
      List<List<String>> tuples = new ArrayList<>(expected.keySet());
      for (int i = 0; i < tuples.size(); i++) {
        byTuple.put(String.join(" ", tuples.get(i)), results.getInteger(i));
      }
      assertThat(results.size()).as("%s", reply).isEqualTo(tuples.size());
      for (int i = 0; i < tuples.size(); i++) {
        assertThat(results.getInteger(i)).as("%s in %s", tuples.get(i), byTuple).isIn(expected.get(tuples.get(i)));
      }
      System.out.printf("edge parity: %d pairs on %d pluginIds, port accepted %d ms after start, answered %d ms later%n",
        tuples.size(), 2 + EDGE_EVM_PLUGIN_IDS.size() + BLOCKBOOK.size(), Duration.ofNanos(sentAt - startedAt).toMillis(), answeredMs);
    }
  }

  private static JsonObject builtInEvmChains() throws IOException {
    try (InputStream in = EdgeParityIT.class.getClassLoader().getResourceAsStream("evmrpc-chains.json")) {
      assertThat(in).as("the built-in evmRpc chains").isNotNull();
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket(LOOPBACK, port)) {
      return true;
    } catch (Exception refused) {
      return false;
    }
  }
}
