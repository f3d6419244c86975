package chainworker;

import api.plugin.ChainStatus;
import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.AnvilNode;
import testkit.FreePorts;
import testkit.PluginProbe;
import testkit.WsTestClient;

import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static chainworker.AnvilChain.freshAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub and a {@link LazyChainsVerticle} in one Vert.x, one lazy chain on a real anvil and one whose node is down,
 * a real WebSocket client: a chain nobody subscribes to runs nothing (its status is "no upstream": no head polled), the
 * first subscribe starts it and is answered from its first poll, and it stops again {@code idleStopMs} after its last
 * subscription.
 */
@ExtendWith(VertxExtension.class)
class LazyChainsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long IDLE_STOP_MS = 500;

  private Vertx vertx;
  private AnvilNode anvil;
  private AnvilChain chain;
  private WsTestClient client;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    anvil = AnvilNode.start();
    chain = new AnvilChain(anvil);
    int hubPort = FreePorts.next();
    JsonObject chains = new JsonObject()
      .put("lazy", workerConfig("lazy", anvil.url()))
      .put("down", workerConfig("down", "http://127.0.0.1:" + FreePorts.next()));
    join(vertx.deployVerticle(new LazyChainsVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("chains", chains)
      .put("idleStopMs", IDLE_STOP_MS))));
    join(vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("port", hubPort))));
    client = WsTestClient.connect(vertx, hubPort);
  }

  @AfterEach
  void stop() {
    client.close();
    anvil.close();
  }

  @Test
  void aLazyChainStartsOnItsFirstSubscribeAndStopsWhenIdle() {
    assertThat(status("lazy")).isEqualTo(ChainStatus.NO_UPSTREAM);
    // An invalid address is refused without starting the chain.
    assertThat(client.call(subscribe(1, "lazy", "0x1234", "1"))).isEqualTo(result(1, 0));
    assertThat(status("lazy")).isEqualTo(ChainStatus.NO_UPSTREAM);

    String address = freshAddress();
    long head = chain.head();
    // Answered from the first poll, so the checkpoint at the head is known to be current: 1, not 2.
    assertThat(client.call(subscribe(2, "lazy", address, Long.toString(head)))).isEqualTo(result(2, 1));
    assertThat(status("lazy").headHeight()).isGreaterThanOrEqualTo(head);
    long block = chain.sendEth(chain.account(0), address, BigInteger.ONE);
    assertThat(client.next(WAIT)).isEqualTo(update("lazy", address, block));

    client.call(unsubscribe(3, "lazy", address));
    await().atMost(WAIT).until(() -> status("lazy").equals(ChainStatus.NO_UPSTREAM));

    // Started again by the next subscribe, from the head it sees then.
    String again = freshAddress();
    assertThat(client.call(subscribe(4, "lazy", again, Long.toString(chain.head())))).isEqualTo(result(4, 1));
    long next = chain.sendEth(chain.account(0), again, BigInteger.ONE);
    assertThat(client.next(WAIT)).isEqualTo(update("lazy", again, next));
  }

  @Test
  void aLazyChainWhoseNodeIsDownAnswersTwoForAValidAddressAndZeroForAnInvalidOne() {
    assertThat(client.call(subscribe(1, "down", freshAddress(), "100"))).isEqualTo(result(1, 2));
    assertThat(client.call(subscribe(2, "down", "0xnothex0000000000000000000000000000000000", "100"))).isEqualTo(result(2, 0));
    assertThat(status("down").upstreamUp()).isFalse();
    assertThat(status("lazy")).as("the other chain stays idle").isEqualTo(ChainStatus.NO_UPSTREAM);
  }

  private ChainStatus status(String pluginId) {
    return PluginProbe.total(vertx, pluginId).chain();
  }

  private static JsonObject workerConfig(String pluginId, String url) {
    return new JsonObject().put("urls", new JsonArray().add(url)).put("pollIntervalMs", 100).put("callTimeoutMs", 2_000)
      .put("retryBackoffMs", 20).put("pluginId", pluginId);
  }

  private static String subscribe(int id, String pluginId, String address, String checkpoint) {
    JsonArray params = new JsonArray().add(new JsonArray().add(pluginId).add(address).add(checkpoint));
    return new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", id).encode();
  }

  private static String unsubscribe(int id, String pluginId, String address) {
    JsonArray params = new JsonArray().add(new JsonArray().add(pluginId).add(address));
    return new JsonObject().put("jsonrpc", "2.0").put("method", "unsubscribe").put("params", params).put("id", id).encode();
  }

  private static String result(int id, int... codes) {
    JsonArray result = new JsonArray();
    for (int code : codes) {
      result.add(code);
    }
    return new JsonObject().put("jsonrpc", "2.0").put("result", result).put("id", id).encode();
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
