package plugins.blockbook;

import api.plugin.ChainStatus;
import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.FreePorts;
import testkit.LitecoindNode;
import testkit.PluginProbe;
import testkit.WsTestClient;
import testkit.blockbook.BlockbookDouble;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * What the Blockbook plugin tests share: a real {@code litecoind -regtest} and the Blockbook double it feeds, started
 * once per test class; per test, the hub and the plugin (litecoin only) in the test's Vert.x and real WebSocket
 * clients; and the client protocol's messages for the litecoin chain. Every test starts with the double's switches
 * back at their defaults and no connection left from the one before.
 */
@ExtendWith(VertxExtension.class)
abstract class LitecoinHarness {

  static final Duration WAIT = Duration.ofSeconds(15);

  static LitecoindNode node;
  static BlockbookDouble upstream;
  private static Vertx upstreamVertx;

  Vertx vertx;
  int hubPort;
  private final List<WsTestClient> clients = new ArrayList<>();

  @BeforeAll
  static void startNodeAndDouble() throws Exception {
    node = LitecoindNode.start();
    node.mine(101);
    upstreamVertx = Vertx.vertx();
    upstream = new BlockbookDouble(upstreamVertx, node, FreePorts.next(), BlockbookDouble.Limits.v060());
    upstream.start();
  }

  @AfterAll
  static void stopNodeAndDouble() {
    if (upstream != null) {
      upstream.close();
    }
    if (upstreamVertx != null) {
      join(upstreamVertx.close());
    }
    if (node != null) {
      node.close();
    }
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    hubPort = FreePorts.next();
    upstream.reset();
    // A test that stops the double restarts it; one that failed half-way must not break the next.
    await().atMost(WAIT).until(() -> upstream.connectionCount() == 0);
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsTestClient::close);
  }

  ChainStatus status() {
    return PluginProbe.total(vertx, "litecoin").chain();
  }

  /** Test settings for the litecoin chain against the double: fast reconnects, generous timeouts. */
  static JsonObject litecoin() {
    return new JsonObject().put("network", "regtest").put("urls", new JsonArray().add(upstream.url()))
      .put("reconnectMinMs", 100).put("reconnectMaxMs", 400).put("requestTimeoutMs", 5_000).put("lostAfterMs", 60_000);
  }

  void deploy(JsonObject litecoin) {
    JsonObject chains = new JsonObject().put("litecoin", litecoin);
    List.of("bitcoin", "bitcoincash", "dogecoin", "qtum").forEach(other -> chains.put(other, new JsonObject().put("enabled", false)));
    join(vertx.deployVerticle(new BlockbookPluginVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("chains", chains))));
    join(vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("port", hubPort))));
  }

  WsTestClient connect() {
    WsTestClient client = WsTestClient.connect(vertx, hubPort);
    clients.add(client);
    return client;
  }

  static String subscribe(int id, String address, Long checkpoint) {
    return call("subscribe", id, new JsonArray().add(tuple(address).add(checkpoint == null ? null : checkpoint.toString())));
  }

  static JsonArray tuple(String address) {
    return new JsonArray().add("litecoin").add(address);
  }

  static String call(String method, int id, JsonArray params) {
    return new JsonObject().put("jsonrpc", "2.0").put("method", method).put("params", params).put("id", id).encode();
  }

  static String result(int id, int code) {
    return "{\"jsonrpc\":\"2.0\",\"result\":[" + code + "],\"id\":" + id + "}";
  }

  static String update(String address, Long height) {
    String checkpoint = height == null ? "null" : "\"" + height + "\"";
    return "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"litecoin\",\"" + address + "\"," + checkpoint + "]}";
  }

  static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
