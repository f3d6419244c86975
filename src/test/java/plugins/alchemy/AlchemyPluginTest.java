package plugins.alchemy;

import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.FreePorts;
import testkit.PluginProbe;
import testkit.WsTestClient;
import testkit.alchemy.AlchemyDouble;
import testkit.alchemy.AlchemyDouble.Activity;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub and the alchemy plugin (ethereum and solana) in one Vert.x, real WebSocket clients, and the Alchemy double on
 * loopback: its Notify API holds the webhook's address list, its sender signs deliveries and posts them to the plugin's
 * webhook port, its RPC answers checkpoint scans.
 */
@ExtendWith(VertxExtension.class)
class AlchemyPluginTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration QUIET = Duration.ofMillis(1_500);
  private static final String TOKEN = "team-token";
  private static final String ETH = "ETH_MAINNET";
  private static final String SOL = "SOLANA_MAINNET";
  /** EIP-55's example address, checksummed; the plugin matches it in lower case. */
  private static final String ALICE = "0x52908400098527886E0F7030069857D2E4169EE7";
  private static final String BOB = "0x8617E340B3D01FA5F11F306F4090FD50E238070D";
  private static final String SOL_WALLET = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";

  private Vertx vertx;
  private Vertx doubleVertx;
  private AlchemyDouble alchemy;
  private int hubPort;
  private int webhookPort;
  private String plugin;
  private final List<WsTestClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    doubleVertx = Vertx.vertx();
    alchemy = new AlchemyDouble(doubleVertx, TOKEN, 100_000).start();
    hubPort = FreePorts.next();
    webhookPort = FreePorts.next();
  }

  @AfterEach
  void tearDown() {
    clients.forEach(WsTestClient::close);
    alchemy.close();
    join(doubleVertx.close());
  }

  @Test
  void aSignedActivityReachesTheSubscriberOnceEvenWhenDeliveredTwice() {
    deploy(config());
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, "ethereum", ALICE, null))).isEqualTo(result(1, 2));
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).equals(Set.of(ALICE.toLowerCase())));

    JsonObject payload = alchemy.evmPayload(ETH, List.of(new Activity(ALICE.toLowerCase(), BOB, 0x10, "external")));
    assertThat(alchemy.deliver(payload)).isEqualTo(200);
    assertThat(client.next(WAIT)).isEqualTo(update("ethereum", ALICE, "16"));
    assertThat(alchemy.deliver(payload)).as("a redelivery is acknowledged").isEqualTo(200);
    client.expectNothing(QUIET);

    // Out of order: an older block delivered later is still news, reported at its own block.
    JsonObject older = alchemy.evmPayload(ETH, List.of(new Activity(BOB, ALICE, 0xf, "erc20")));
    assertThat(alchemy.deliver(older)).isEqualTo(200);
    assertThat(client.next(WAIT)).isEqualTo(update("ethereum", ALICE, "15"));
  }

  @Test
  void aForgedOrOversizedDeliveryReachesNobody() {
    deploy(config());
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, "ethereum", ALICE, null))).isEqualTo(result(1, 2));
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).contains(ALICE.toLowerCase()));

    JsonObject payload = alchemy.evmPayload(ETH, List.of(new Activity(BOB, ALICE, 20, "external")));
    assertThat(alchemy.deliverForged(payload)).isEqualTo(401);
    assertThat(alchemy.postTo(ETH, payload.toBuffer(), null)).as("no signature").isEqualTo(401);
    Buffer big = Buffer.buffer("{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");
    assertThat(alchemy.postTo(ETH, big, AlchemyDouble.sign(alchemy.signingKey(ETH), big.getBytes()))).isEqualTo(413);
    client.expectNothing(QUIET);

    assertThat(alchemy.deliver(payload)).as("the genuine one, after the forgery with the same id").isEqualTo(200);
    assertThat(client.next(WAIT)).isEqualTo(update("ethereum", ALICE, "20"));
  }

  /** A sender that declares or streams too much gets 413 and a closed connection: nothing more is read or kept open. */
  @Test
  void anOversizedBodyIsAnswered413AndItsConnectionClosedUnread() throws Exception {
    deploy(config());
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, "ethereum", ALICE, null))).isEqualTo(result(1, 2));
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).contains(ALICE.toLowerCase()));
    String path = "/webhook/alchemy/ethereum";

    String declared = rawExchange("POST " + path + " HTTP/1.1\r\nHost: hub\r\nContent-Length: 2000000\r\n\r\n" + "x".repeat(1_000));
    assertThat(declared).as("declared too long, half sent, then silent").startsWith("HTTP/1.1 413 ")
      .containsIgnoringCase("connection: close\r\n").endsWith("body too large<closed>");

    String chunk = Integer.toHexString(600_000) + "\r\n" + "x".repeat(600_000) + "\r\n";
    String streamed = rawExchange("POST " + path + " HTTP/1.1\r\nHost: hub\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n");
    assertThat(streamed).as("streamed past the limit").startsWith("HTTP/1.1 413 ").endsWith("body too large<closed>");
    client.expectNothing(QUIET);

    JsonObject payload = alchemy.evmPayload(ETH, List.of(new Activity(BOB, ALICE, 21, "external")));
    assertThat(alchemy.deliver(payload)).isEqualTo(200);
    assertThat(client.next(WAIT)).isEqualTo(update("ethereum", ALICE, "21"));
  }

  /** Writes {@code request} to the webhook port and reads until the server closes: the answer, then {@code <closed>}. */
  private String rawExchange(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", webhookPort)) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII) + "<closed>";
    }
  }

  @Test
  void theWebhookHoldsWhatIsSubscribedAfterChurnFailuresAndARestart() {
    deploy(config());
    List<String> many = IntStream.range(0, 1_200).mapToObj(i -> String.format("0x%040x", i + 1)).toList();
    WsTestClient first = connect();
    WsTestClient second = connect();
    alchemy.failNotify(429, 2);
    assertThat(first.call(subscribe(1, "ethereum", List.of(ALICE, BOB)))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[2,2],\"id\":1}");
    JsonArray params = new JsonArray();
    many.forEach(address -> params.add(new JsonArray().add("ethereum").add(address).addNull()));
    assertThat(second.call(call("subscribe", 2, params))).contains("\"id\":2");
    Set<String> expected = new java.util.HashSet<>(many);
    expected.add(ALICE.toLowerCase());
    expected.add(BOB.toLowerCase());
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).equals(expected));

    alchemy.failNotify(503, 1);
    assertThat(first.call(call("unsubscribe", 3, new JsonArray().add(new JsonArray().add("ethereum").add(ALICE)))))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3}");
    second.close();
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).equals(Set.of(BOB.toLowerCase())));
    assertThat(alchemy.largestList()).as("documented limit per list").isLessThanOrEqualTo(AlchemyDouble.MAX_PER_CALL);
    assertThat(alchemy.rejectedCalls()).isZero();

    // While the plugin is down, a stale address is left on the webhook (as if a removal was lost): pruned after restart.
    join(vertx.undeploy(plugin));
    alchemy.addBehindTheBack(ETH, ALICE);
    plugin = join(vertx.deployVerticle(new AlchemyPluginVerticle(), new DeploymentOptions().setConfig(config())));
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).equals(Set.of(BOB.toLowerCase())));
    assertThat(alchemy.webhookCount(ETH)).as("found again, not created twice").isEqualTo(1);
    assertThat(alchemy.createCalls()).isEqualTo(1);
    assertThat(first.next(WAIT)).as("the hub's replay to the new instance: no checkpoint, so 2").isEqualTo(update("ethereum", BOB, null));

    JsonObject payload = alchemy.evmPayload(ETH, List.of(new Activity(BOB, "0x" + "00".repeat(20), 30, "external")));
    assertThat(alchemy.deliver(payload)).isEqualTo(200);
    assertThat(first.next(WAIT)).as("the new instance verifies with the webhook's key").isEqualTo(update("ethereum", BOB, "30"));
  }

  @Test
  void withTwoInstancesEveryDeliveryReachesTheOwnerOfEachAddressOnce() {
    // Changes go out at once: a removal by the stopping instance would land before it stops.
    JsonObject config = config().put("instances", 2).put("debounceMs", 1);
    String second = join(vertx.deployVerticle(new AlchemyPluginVerticle(), new DeploymentOptions().setConfig(config)));
    deploy(config);
    List<String> addresses = IntStream.range(0, 20).mapToObj(i -> String.format("0x%040x", 0xa000 + i)).toList();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, "ethereum", addresses))).contains("\"id\":1");
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).equals(Set.copyOf(addresses)));
    assertThat(PluginProbe.perInstance(vertx, "ethereum")).as("the hub spread the addresses").allMatch(stats -> stats.watchedAddresses() > 0);
    assertThat(alchemy.webhookCount(ETH)).as("one webhook, created under the lock").isEqualTo(1);

    // Each delivery reaches one of the two ingresses (they share the port); both report only what they hold.
    for (int round = 0; round < 2; round++) {
      long block = 40 + round;
      JsonObject payload = alchemy.evmPayload(ETH, addresses.stream().map(a -> new Activity(a, BOB, block, "external")).toList());
      assertThat(alchemy.deliver(payload)).isEqualTo(200);
      Set<String> updated = new java.util.HashSet<>();
      for (int i = 0; i < addresses.size(); i++) {
        String update = client.next(WAIT);
        assertThat(update).contains("\"" + block + "\"");
        assertThat(updated.add(update)).as("once per address").isTrue();
      }
      client.expectNothing(QUIET);
    }

    // One instance stops: the hub hands its addresses to the other, and the webhook keeps every one of them.
    join(vertx.undeploy(second));
    await().atMost(WAIT).until(() -> PluginProbe.perInstance(vertx, "ethereum").size() == 1);
    client.expectNothing(QUIET);
    assertThat(alchemy.addresses(ETH)).isEqualTo(Set.copyOf(addresses));
    JsonObject payload = alchemy.evmPayload(ETH, addresses.stream().map(a -> new Activity(a, BOB, 50, "external")).toList());
    assertThat(alchemy.deliver(payload)).isEqualTo(200);
    for (int i = 0; i < addresses.size(); i++) {
      assertThat(client.next(WAIT)).contains("\"50\"");
    }
  }

  @Test
  void aFullWebhookTakesMoreAddressesOnlyAsOthersLeave() {
    alchemy.close();
    alchemy = new AlchemyDouble(doubleVertx, TOKEN, 10).start();
    deploy(config().put("maxAddressesPerWebhook", 10));
    List<String> addresses = IntStream.range(0, 15).mapToObj(i -> String.format("0x%040x", 0xb000 + i)).toList();
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, "ethereum", addresses))).contains("\"id\":1");
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).size() == 10);
    client.expectNothing(QUIET);
    assertThat(alchemy.addresses(ETH)).hasSize(10);

    JsonArray gone = new JsonArray();
    List<String> held = List.copyOf(alchemy.addresses(ETH));
    held.subList(0, 5).forEach(address -> gone.add(new JsonArray().add("ethereum").add(address)));
    assertThat(client.call(call("unsubscribe", 2, gone))).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2}");
    Set<String> remaining = new java.util.HashSet<>(addresses);
    held.subList(0, 5).forEach(remaining::remove);
    await().atMost(WAIT).until(() -> alchemy.addresses(ETH).equals(remaining));
    assertThat(alchemy.rejectedCalls()).as("never over the webhook's capacity").isZero();
  }

  @Test
  void aCheckpointScanAnswersOneWithNothingAfterItAndTwoWithATransfer() {
    alchemy.recordTransfer("eth-mainnet", BOB, ALICE, 150, "erc20");
    deploy(config());
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, "ethereum", ALICE, "150"))).as("nothing after block 150").isEqualTo(result(1, 1));
    assertThat(client.call(subscribe(2, "ethereum", ALICE, "149"))).as("received in block 150").isEqualTo(result(2, 2));
    assertThat(client.call(subscribe(3, "ethereum", BOB, "149"))).as("sent in block 150").isEqualTo(result(3, 2));
    assertThat(client.call(subscribe(4, "solana", SOL_WALLET, "149"))).as("no transfers API on Solana").isEqualTo(result(4, 2));
  }

  @Test
  void aSolanaDeliveryIsMatchedExactlyAtItsSlot() {
    deploy(config());
    WsTestClient client = connect();
    assertThat(client.call(subscribe(1, "solana", SOL_WALLET, null))).isEqualTo(result(1, 2));
    await().atMost(WAIT).until(() -> alchemy.addresses(SOL).equals(Set.of(SOL_WALLET)));
    JsonObject lowerCased = alchemy.solanaPayload(SOL, 554, List.of(SOL_WALLET.toLowerCase(), "11111111111111111111111111111111"));
    assertThat(alchemy.deliver(lowerCased)).isEqualTo(200);
    client.expectNothing(QUIET);
    JsonObject payload = alchemy.solanaPayload(SOL, 555, List.of("11111111111111111111111111111111", SOL_WALLET));
    assertThat(alchemy.deliver(payload)).isEqualTo(200);
    assertThat(client.next(WAIT)).isEqualTo(update("solana", SOL_WALLET, "555"));
  }

  @Test
  void unkeyedAddressesAreValidatedAndAnsweredTwoWithTheUpstreamReportedDown() {
    deploy(config().put("authToken", ""));
    WsTestClient client = connect();
    JsonArray params = new JsonArray()
      .add(new JsonArray().add("ethereum").add(ALICE).add("100"))
      .add(new JsonArray().add("ethereum").add("0x1234").add("100"))
      .add(new JsonArray().add("solana").add(SOL_WALLET).add("100"))
      .add(new JsonArray().add("solana").add("0OIl" + SOL_WALLET.substring(4)).add("100"))
      .add(new JsonArray().add("solana").add("11111111111111111111111111111111111").add("100"));
    assertThat(client.call(call("subscribe", 1, params))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[2,0,2,0,0],\"id\":1}");
    assertThat(PluginProbe.total(vertx, "ethereum").chain().upstreamUp()).isFalse();
    assertThat(alchemy.createCalls()).isZero();
  }

  private JsonObject config() {
    JsonObject networks = new JsonObject();
    AlchemyNetwork.DEFAULTS.keySet().forEach(pluginId -> networks.put(pluginId, new JsonObject().put("enabled", false)));
    networks.put("ethereum", new JsonObject()).put("solana", new JsonObject());
    return new JsonObject()
      .put("authToken", TOKEN)
      .put("apiKey", "rpc-key")
      .put("webhook", new JsonObject().put("host", "127.0.0.1").put("port", webhookPort).put("publicUrl", "http://127.0.0.1:" + webhookPort))
      .put("notifyUrl", alchemy.notifyUrl())
      .put("rpcUrl", alchemy.rpcUrl())
      .put("networks", networks)
      .put("debounceMs", 100)
      .put("retryMinMs", 100)
      .put("retryMaxMs", 400)
      .put("pruneAfterMs", 2_000);
  }

  private void deploy(JsonObject config) {
    plugin = join(vertx.deployVerticle(new AlchemyPluginVerticle(), new DeploymentOptions().setConfig(config)));
    join(vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("port", hubPort))));
  }

  private WsTestClient connect() {
    WsTestClient client = WsTestClient.connect(vertx, hubPort);
    clients.add(client);
    return client;
  }

  private static String subscribe(int id, String pluginId, String address, String checkpoint) {
    return call("subscribe", id, new JsonArray().add(new JsonArray().add(pluginId).add(address).add(checkpoint)));
  }

  private static String subscribe(int id, String pluginId, List<String> addresses) {
    JsonArray params = new JsonArray();
    addresses.forEach(address -> params.add(new JsonArray().add(pluginId).add(address).addNull()));
    return call("subscribe", id, params);
  }

  private static String call(String method, int id, JsonArray params) {
    return new JsonObject().put("jsonrpc", "2.0").put("method", method).put("params", params).put("id", id).encode();
  }

  private static String result(int id, int code) {
    return "{\"jsonrpc\":\"2.0\",\"result\":[" + code + "],\"id\":" + id + "}";
  }

  private static String update(String pluginId, String address, String checkpoint) {
    String quoted = checkpoint == null ? "null" : "\"" + checkpoint + "\"";
    return "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"" + pluginId + "\",\"" + address + "\"," + quoted + "]}";
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
