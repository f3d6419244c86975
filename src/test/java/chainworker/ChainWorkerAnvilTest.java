package chainworker;

import api.PluginStats;
import api.plugin.ChainStatus;
import hub.AdminVerticle;
import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import ops.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import testkit.PluginProbe;
import testkit.AdminClient;
import testkit.AnvilNode;
import testkit.FreePorts;
import testkit.WsTestClient;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static chainworker.AnvilChain.address;
import static chainworker.AnvilChain.freshAddress;
import static chainworker.AnvilChain.uint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static testkit.PrometheusText.sample;

/**
 * The hub and a chain worker in one Vert.x, the worker following a real anvil, a real WebSocket client subscribing:
 * every assertion is on the wire text the client receives. The worker's first URL is dead, so every test also goes
 * through a failover.
 */
@ExtendWith(VertxExtension.class)
class ChainWorkerAnvilTest {

  private static final String CHAIN = "ethereum";
  private static final Duration UPDATE_WAIT = Duration.ofSeconds(10);
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);

  private Vertx vertx;
  private AnvilNode anvil;
  private AnvilChain chain;
  private int hubPort;
  private final List<WsTestClient> clients = new ArrayList<>();

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    anvil = AnvilNode.start();
    chain = new AnvilChain(anvil);
    hubPort = FreePorts.next();
    join(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(workerConfig(CHAIN, deadUrl(), anvil.url()))));
    join(vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("port", hubPort))));
  }

  @AfterEach
  void stop() {
    clients.forEach(WsTestClient::close);
    anvil.close();
  }

  @Test
  void ethTransferIsReportedForTheSenderAndTheRecipient() {
    String sender = chain.account(1);
    String recipient = freshAddress();
    WsTestClient client = connect();
    long head = chain.head();
    assertThat(client.call(subscribe(1, tuple(sender, head), tuple(recipient, head)))).isEqualTo(result(1, 1, 1));

    long block = chain.sendEth(sender, recipient, GWEI);

    assertThat(List.of(client.next(UPDATE_WAIT), client.next(UPDATE_WAIT)))
      .containsExactlyInAnyOrder(update(sender, block), update(recipient, block));
  }

  @Test
  void erc20TransferThroughARealTokenIsReportedForTheRecipient() {
    String owner = chain.account(0);
    String token = chain.deploy(owner, "TestToken", uint(1_000_000)).getContractAddress();
    String holder = freshAddress();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, tuple(holder, chain.head())))).isEqualTo(result(1, 1));

    long block = chain.call(owner, token, BigInteger.ZERO, "transfer", address(holder), uint(5));

    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(holder, block));
  }

  @Test
  void contractCreationIsReportedForTheNewContract() {
    String deployer = chain.account(2);
    String contract = ContractUtils.generateContractAddress(deployer, chain.nonce(deployer));
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, tuple(contract, chain.head())))).isEqualTo(result(1, 1));

    TransactionReceipt receipt = chain.deploy(deployer, "Forwarder");

    assertThat(receipt.getContractAddress()).isEqualTo(contract);
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(contract, receipt.getBlockNumber().longValueExact()));
  }

  @Test
  void internalTransferThroughAForwarderIsReportedForTheRecipient() {
    String sender = chain.account(0);
    String forwarder = chain.deploy(sender, "Forwarder").getContractAddress();
    String recipient = freshAddress();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, tuple(recipient, chain.head())))).isEqualTo(result(1, 1));

    long block = chain.call(sender, forwarder, GWEI, "forward", address(recipient));

    assertThat(chain.balance(recipient)).isEqualTo(GWEI);
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(recipient, block));
  }

  @Test
  void reorgThatChangesTheRecipientIsReportedForTheNewOne() {
    String sender = chain.account(0);
    String first = freshAddress();
    String second = freshAddress();
    WsTestClient client = connect();
    long head = chain.head();
    assertThat(client.call(subscribe(1, tuple(first, head), tuple(second, head)))).isEqualTo(result(1, 1, 1));
    long block = chain.sendEth(sender, first, GWEI);
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(first, block));

    chain.reorgLastBlockInto(sender, second, GWEI);

    assertThat(chain.head()).isEqualTo(block);
    assertThat(chain.recipients(block)).containsExactly(second);
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(second, block));
    client.expectNothing(Duration.ofMillis(500));
  }

  @Test
  void activityWhileTheNodeWasDownIsReportedWhenItIsBack() {
    String recipient = freshAddress();
    WsTestClient client = connect();
    long before = chain.head();
    assertThat(client.call(subscribe(1, tuple(recipient, before)))).isEqualTo(result(1, 1));
    int port = anvil.port();

    // The node leaves the worker's URL; meanwhile a block is mined elsewhere on the same chain, then the node returns.
    anvil.stop();
    anvil.restart(FreePorts.next());
    long block = chain.sendEth(chain.account(0), recipient, GWEI);
    anvil.stop();
    anvil.restart(port);

    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(recipient, block));
    // A restarted anvil keeps its blocks but not their state: a scan from before cannot be answered, so 2.
    String untouched = freshAddress();
    assertThat(client.call(subscribe(2, tuple(untouched, before), tuple(untouched, block)))).isEqualTo(result(2, 2, 1));
  }

  @Test
  void aWorkerStartedWhileItsNodeIsDownAsksForAResyncOnceItCanFollow() {
    String pluginId = "latecomer";
    int port = anvil.port();
    anvil.stop();
    join(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(workerConfig(pluginId, anvil.url()))));
    String address = freshAddress();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(pluginId, 1, tuple(address, 0)))).isEqualTo(result(1, 2));

    anvil.restart(port);

    // Blocks before the first head it sees are never processed, so the worker asks for a re-sync up to that head.
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(pluginId, address, chain.head()));
  }

  @Test
  void whenTheNodeHasNoStateAtTheCheckpointAnEtherscanCompatibleApiAnswers() {
    String pluginId = "explorer";
    String key = "test-key";
    int explorerPort = FreePorts.next();
    FakeEtherscan explorer = join(FakeEtherscan.start(vertx, explorerPort, key));
    JsonObject config = workerConfig(pluginId, anvil.url())
      .put("etherscanUrls", new JsonArray().add("http://127.0.0.1:" + explorerPort + "/v2/api?chainid=31337&apikey={{apiKey}}"))
      .put("apiKeys", new JsonObject().put("127.0.0.1", key));
    join(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(config)));
    String active = freshAddress();
    String quiet = freshAddress();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(pluginId, 1, tuple(active, chain.head())))).isEqualTo(result(1, 1));
    long block = chain.sendEth(chain.account(0), active, GWEI);
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(pluginId, active, block));
    // A restarted anvil has no state before its latest block, like a full node for old blocks.
    int port = anvil.port();
    anvil.stop();
    anvil.restart(port);
    explorer.add("txlist", active, block);

    assertThat(client.call(subscribe(pluginId, 2, tuple(active, block - 1), tuple(quiet, block - 1)))).isEqualTo(result(2, 2, 1));

    List<String> askedForQuiet = explorer.queries().stream().filter(query -> quiet.equals(query.get("address")))
      .map(query -> query.get("action") + " " + query.get("startblock") + ".." + query.get("endblock") + " chain " + query.get("chainid"))
      .toList();
    String range = block + ".." + block + " chain 31337";
    assertThat(askedForQuiet).containsExactly("txlist " + range, "txlistinternal " + range, "tokentx " + range, "tokennfttx " + range,
      "token1155tx " + range);
  }

  /** Edge's etherscan-v1 adapters: a base URL without /api, no chainid, no key; its three lists, in its order. */
  @Test
  void anEtherscanV1ApiGivenAsEdgeListsItAnswersWithoutChainIdOrKey() {
    String pluginId = "explorerv1";
    int explorerPort = FreePorts.next();
    FakeEtherscan explorer = join(FakeEtherscan.start(vertx, explorerPort, null));
    JsonObject config = workerConfig(pluginId, anvil.url())
      .put("etherscanV1Urls", new JsonArray().add("http://127.0.0.1:" + explorerPort + "/blockscout"));
    join(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(config)));
    String active = freshAddress();
    String quiet = freshAddress();
    String tokens = freshAddress();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(pluginId, 1, tuple(active, chain.head())))).isEqualTo(result(1, 1));
    long block = chain.sendEth(chain.account(0), active, GWEI);
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(pluginId, active, block));
    int port = anvil.port();
    anvil.stop();
    anvil.restart(port);
    explorer.add("txlist", active, block);
    explorer.add("tokentx", tokens, block);

    assertThat(client.call(subscribe(pluginId, 2, tuple(active, block - 1), tuple(quiet, block - 1), tuple(tokens, block - 1))))
      .isEqualTo(result(2, 2, 1, 2));

    List<String> askedForQuiet = explorer.queries().stream().filter(query -> quiet.equals(query.get("address")))
      .map(query -> query.get("action") + " " + query.get("startblock") + ".." + query.get("endblock") + " chainid " + query.get("chainid")
        + " apikey " + query.get("apikey"))
      .toList();
    String range = block + ".." + block + " chainid null apikey null";
    assertThat(askedForQuiet).containsExactly("txlist " + range, "tokentx " + range, "txlistinternal " + range);
    assertThat(explorer.paths()).isNotEmpty().allMatch("/blockscout/api"::equals);
  }

  @Test
  void checkpointScansAnswerOneOrTwoAroundTheActivityBlock() {
    String owner = chain.account(0);
    String token = chain.deploy(owner, "TestToken", uint(1_000_000)).getContractAddress();
    String payee = freshAddress();
    String holder = freshAddress();
    String marker = freshAddress();
    long paid = chain.sendEth(owner, payee, GWEI);
    long tokens = chain.call(owner, token, BigInteger.ZERO, "transfer", address(holder), uint(5));
    chain.mine();
    chain.mine();
    chain.mine();
    WsTestClient client = connect();
    // Once the marker's update arrives, the worker has processed every block above.
    assertThat(client.call(subscribe(1, tuple(marker, chain.head())))).isEqualTo(result(1, 1));
    long last = chain.sendEth(owner, marker, GWEI);
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(marker, last));

    String reply = client.call(subscribe(2,
      tuple(payee, paid - 1), tuple(payee, paid), new JsonArray().add(payee).addNull(),
      tuple(holder, tokens - 1), tuple(holder, tokens), new JsonArray().add(holder).add("not a height")));

    // payee: its balance changed in `paid`; holder: only a token event in `tokens`, found by the chunked log scan.
    assertThat(reply).isEqualTo(result(2, 2, 1, 2, 2, 1, 2));
  }

  @Test
  void twoSocketsWithDifferentCasingsEachGetTheirOwnCasing() {
    String address = freshAddress();
    String checksummed = Keys.toChecksumAddress(address);
    String upper = "0x" + address.substring(2).toUpperCase(Locale.ROOT);
    WsTestClient mixed = connect();
    WsTestClient shouting = connect();
    long head = chain.head();
    assertThat(mixed.call(subscribe(1, tuple(checksummed, head)))).isEqualTo(result(1, 1));
    assertThat(shouting.call(subscribe(1, tuple(upper, head)))).isEqualTo(result(1, 1));
    assertThat(book(CHAIN)).isEqualTo(List.of(1, 2, 2));

    long block = chain.sendEth(chain.account(0), address, GWEI);

    assertThat(mixed.next(UPDATE_WAIT)).isEqualTo(update(checksummed, block));
    assertThat(shouting.next(UPDATE_WAIT)).isEqualTo(update(upper, block));
  }

  @Test
  void anythingButZeroXAndFortyHexDigitsAnswersZero() {
    String valid = freshAddress();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, tuple(valid.substring(0, 41), 1), tuple(valid + "0", 1), tuple(valid.substring(2), 1),
      tuple("0x" + "g".repeat(40), 1), tuple("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 1))))
      .isEqualTo(result(1, 0, 0, 0, 0, 0));
    assertThat(book(CHAIN)).isEqualTo(List.of(0, 0, 0));
  }

  @Test
  void newHeadsMakeTheWorkerReadANewBlockAtOnce() {
    String pluginId = "ethereumws";
    JsonObject config = workerConfig(pluginId, anvil.url())
      .put("pollIntervalMs", 600_000)
      .put("newHeadsUrl", anvil.url().replace("http://", "ws://"));
    join(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(config)));
    String recipient = freshAddress();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(pluginId, 1, tuple(recipient, chain.head())))).isEqualTo(result(1, 1));

    // With a ten-minute poll interval, only the newHeads notification can bring this block in time.
    long block = chain.sendEth(chain.account(0), recipient, GWEI);

    assertThat(client.next(UPDATE_WAIT)).isEqualTo(update(pluginId, recipient, block));
  }

  @Test
  void upstreamDownPastLostAfterSendsSubLostAndDropsTheSubscription() {
    String pluginId = "deadchain";
    JsonObject config = workerConfig(pluginId, deadUrl()).put("lostAfterMs", 300);
    join(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(config)));
    String address = Keys.toChecksumAddress(freshAddress());
    WsTestClient client = connect();

    assertThat(client.call(subscribe(pluginId, 1, tuple(address, 5)))).isEqualTo(result(1, 2));

    String subLost = "{\"jsonrpc\":\"2.0\",\"method\":\"subLost\",\"params\":[\"" + pluginId + "\",\"" + address + "\",null]}";
    assertThat(client.next(UPDATE_WAIT)).isEqualTo(subLost);
    await().atMost(UPDATE_WAIT).until(() -> book(pluginId).equals(List.of(0, 0, 0)));
  }

  @Test
  void statsMetricsAndReadinessShowTheHeadTheLagAndTheUpstreamGoingDownWithoutTheHubLeavingService() {
    int adminPort = FreePorts.next();
    JsonObject adminConfig = new JsonObject().put("port", adminPort).put("knownPluginIds", new JsonArray().add(CHAIN));
    join(vertx.deployVerticle(new AdminVerticle(), new DeploymentOptions().setConfig(adminConfig)));
    AdminClient admin = new AdminClient(adminPort);
    chain.mine();
    chain.mine();
    long head = chain.head();
    await().atMost(UPDATE_WAIT).until(() -> stats(CHAIN).chain().processedHeight() == head);

    ChainStatus caughtUp = stats(CHAIN).chain();
    assertThat(caughtUp.headHeight()).isEqualTo(head);
    assertThat(caughtUp.lagBlocks()).isZero();
    assertThat(caughtUp.upstreamUp()).isTrue();
    // The first URL is dead: the first call failed there and moved on to anvil.
    assertThat(caughtUp.upstreamErrors()).isPositive();
    assertThat(caughtUp.reconnects()).isPositive();
    String metrics = Metrics.of(vertx).scrape();
    assertThat(sample(metrics, "change_chain_head_height{pluginId=\"ethereum\"}")).isEqualTo(head);
    assertThat(sample(metrics, "change_chain_lag_blocks{pluginId=\"ethereum\"}")).isZero();
    assertThat(sample(metrics, "change_upstream_up{pluginId=\"ethereum\"}")).isEqualTo(1);
    assertThat(sample(metrics, "change_upstream_errors_total{pluginId=\"ethereum\"}")).isGreaterThanOrEqualTo(caughtUp.upstreamErrors());
    assertThat(sample(metrics, "change_upstream_reconnects_total{pluginId=\"ethereum\"}")).isGreaterThanOrEqualTo(caughtUp.reconnects());
    // Ready once the worker has announced itself to the admin's directory.
    await().atMost(UPDATE_WAIT).until(() -> admin.ready() == 200);
    assertThat(admin.stats().getJsonObject("plugins").getJsonObject(CHAIN).getLong("headHeight")).isEqualTo(head);

    anvil.stop();

    await().atMost(UPDATE_WAIT).until(() -> !stats(CHAIN).chain().upstreamUp());
    String down = Metrics.of(vertx).scrape();
    assertThat(sample(down, "change_upstream_up{pluginId=\"ethereum\"}")).isZero();
    assertThat(sample(down, "change_upstream_errors_total{pluginId=\"ethereum\"}")).isGreaterThan(caughtUp.upstreamErrors());
    assertThat(sample(down, "change_chain_head_height{pluginId=\"ethereum\"}")).as("the last head seen").isEqualTo(head);
    // One provider's outage must not take the hub out of its load balancer: still ready, the chain listed as degraded.
    assertThat(admin.ready()).isEqualTo(200);
    assertThat(admin.missing()).isEmpty();
    assertThat(admin.degraded()).isEqualTo(new JsonArray().add(CHAIN));
  }

  private static JsonObject workerConfig(String pluginId, String... urls) {
    return new JsonObject()
      .put("pluginId", pluginId)
      .put("urls", new JsonArray(List.of((Object[]) urls)))
      .put("pollIntervalMs", 100)
      .put("callTimeoutMs", 2_000)
      .put("maxAttempts", 3)
      .put("retryBackoffMs", 20)
      .put("maxLogRange", 2)
      .put("lostAfterMs", 60_000);
  }

  /** A URL where nothing listens. */
  private static String deadUrl() {
    return "http://127.0.0.1:" + FreePorts.next();
  }

  private WsTestClient connect() {
    WsTestClient client = WsTestClient.connect(vertx, hubPort);
    clients.add(client);
    return client;
  }

  /** The subscription side of a pluginId's stats: watched addresses, subscriptions, connections. */
  private List<Integer> book(String pluginId) {
    PluginStats stats = stats(pluginId);
    return List.of(stats.watchedAddresses(), stats.subscriptions(), stats.connections());
  }

  private PluginStats stats(String pluginId) {
    return PluginProbe.total(vertx, pluginId);
  }

  /** A tuple without its pluginId: {@link #subscribe} puts it first. */
  private static JsonArray tuple(String address, long checkpoint) {
    return new JsonArray().add(address).add(Long.toString(checkpoint));
  }

  private static String subscribe(int id, JsonArray... tuples) {
    return subscribe(CHAIN, id, tuples);
  }

  private static String subscribe(String pluginId, int id, JsonArray... tuples) {
    JsonArray params = new JsonArray();
    for (JsonArray tuple : tuples) {
      params.add(new JsonArray().add(pluginId).addAll(tuple));
    }
    return new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", id).encode();
  }

  private static String result(int id, int... codes) {
    JsonArray result = new JsonArray();
    for (int code : codes) {
      result.add(code);
    }
    return new JsonObject().put("jsonrpc", "2.0").put("result", result).put("id", id).encode();
  }

  private static String update(String address, long block) {
    return update(CHAIN, address, block);
  }

  private static String update(String pluginId, String address, long block) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"" + pluginId + "\",\"" + address + "\",\"" + block + "\"]}";
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
