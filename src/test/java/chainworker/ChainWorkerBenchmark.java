package chainworker;

import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import testkit.AnvilNode;
import testkit.FreePorts;
import testkit.PluginProbe;
import testkit.WsTestClient;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures for docs/BENCHMARKS.md (issue 4), not a timed test: its name keeps it out of {@code mvn test}. Run with
 * {@code mvn -B -q test -Dtest=ChainWorkerBenchmark} and read {@code target/surefire-reports/chainworker.ChainWorkerBenchmark-output.txt}
 * (lines with "benchmark"). The hub, a chain worker and a real WebSocket client in one JVM, the worker on a real anvil.
 */
@ExtendWith(VertxExtension.class)
class ChainWorkerBenchmark {

  private static final Logger log = LoggerFactory.getLogger(ChainWorkerBenchmark.class);
  private static final int TRANSFERS = 100;
  private static final int WARMUP = 10;
  private static final long POLL_MS = 250;
  private static final int ADDRESSES = 10_000;
  private static final int BLOCK_SIZE = 200;
  private static final int SUBSCRIBE_BATCH = 1_000;
  private static final int FAST_TX_PER_SECOND = 40;
  private static final int FAST_SECONDS = 30;

  private Vertx vertx;
  private AnvilNode anvil;
  private AnvilChain chain;
  private int hubPort;
  private WsTestClient client;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    anvil = AnvilNode.start();
    chain = new AnvilChain(anvil);
    hubPort = FreePorts.next();
    join(vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("port", hubPort))));
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    anvil.close();
  }

  /** Transaction sent → update received, automine, one transfer at a time (after a random pause, so polls are out of phase). */
  @Test
  void detectionLatency() throws InterruptedException {
    deployWorker("polling", new JsonObject().put("pollIntervalMs", POLL_MS));
    deployWorker("newheads", new JsonObject().put("pollIntervalMs", 60_000).put("newHeadsUrl", anvil.url().replace("http://", "ws://")));
    client = WsTestClient.connect(vertx, hubPort);
    for (String pluginId : List.of("polling", "newheads")) {
      String sender = chain.account(0);
      List<Long> micros = new ArrayList<>();
      for (int i = 0; i < WARMUP + TRANSFERS; i++) {
        String recipient = AnvilChain.freshAddress();
        client.call(subscribe(pluginId, List.of(recipient), chain.head()));
        Thread.sleep(ThreadLocalRandom.current().nextLong(POLL_MS));
        long sent = System.nanoTime();
        chain.submitEth(sender, recipient, BigInteger.ONE);
        assertThat(client.next(Duration.ofSeconds(10))).contains(recipient);
        if (i >= WARMUP) {
          micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
        }
      }
      Collections.sort(micros);
      log.info("benchmark detection latency mode={} transfers={} p50={}ms p90={}ms max={}ms", pluginId, micros.size(),
        millis(micros.get(micros.size() / 2)), millis(micros.get(micros.size() * 9 / 10)), millis(micros.get(micros.size() - 1)));
    }
  }

  /**
   * 10,000 watched addresses and 50 blocks of 200 transfers each (every address receives one), mined while the node was
   * away from the worker's URL: the time from the node answering again to the last update is the time to process those
   * blocks (plus at most one poll interval).
   */
  @Test
  void blockThroughput() {
    deployWorker("throughput", new JsonObject().put("pollIntervalMs", 100));
    client = WsTestClient.connect(vertx, hubPort);
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < ADDRESSES; i++) {
      addresses.add(AnvilChain.freshAddress());
    }
    long head = chain.head();
    for (int i = 0; i < ADDRESSES; i += SUBSCRIBE_BATCH) {
      client.call(subscribe("throughput", addresses.subList(i, i + SUBSCRIBE_BATCH), head));
    }

    int port = anvil.port();
    anvil.stop();
    anvil.restart(FreePorts.next());
    chain.automine(false);
    String sender = chain.account(0);
    for (int block = 0; block < ADDRESSES / BLOCK_SIZE; block++) {
      for (String recipient : addresses.subList(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE)) {
        chain.submitEth(sender, recipient, BigInteger.ONE);
      }
      chain.mine();
    }
    anvil.stop();
    anvil.restart(port);
    long restarted = System.nanoTime();

    Set<String> updated = new HashSet<>();
    while (updated.size() < ADDRESSES) {
      updated.add(new JsonObject(client.next(Duration.ofSeconds(60))).getJsonArray("params").getString(1));
    }
    double seconds = (System.nanoTime() - restarted) / 1e9;
    int blocks = ADDRESSES / BLOCK_SIZE;
    log.info("benchmark block throughput watched={} blocks={} txPerBlock={} seconds={} blocksPerSecond={}", ADDRESSES, blocks, BLOCK_SIZE,
      String.format("%.2f", seconds), String.format("%.1f", blocks / seconds));
  }

  /**
   * Chains faster than one poll (issue 14: Arbitrum ~0.25 s, Sonic ~0.3–1 s): anvil mines a block every
   * {@code blockTime} s while a sender keeps {@value #FAST_TX_PER_SECOND} transfers per second to watched addresses
   * going, and the worker polls every 250 ms (the built-in arbitrum and sonic entries), reading up to
   * {@code readAheadBlocks} blocks at once. Between worker and anvil, a proxy adds {@code latencyMs} to every RPC call
   * (a remote provider's round trip). The lag (anvil's head − the worker's last processed block) is sampled every second.
   */
  @Test
  void fastChainsKeepUp() throws Exception {
    fastChain(0.25, 1, 0);
    fastChain(0.25, 1, 50);
    fastChain(0.25, 8, 50);
    fastChain(0.25, 1, 150);
    fastChain(0.25, 8, 150);
    fastChain(0.1, 1, 50);
    fastChain(0.1, 8, 50);
    fastChain(0.05, 8, 50);
  }

  private void fastChain(double blockTime, int readAheadBlocks, long latencyMs) throws Exception {
    String pluginId = "fast-" + blockTime + "-" + readAheadBlocks + "-" + latencyMs;
    try (AnvilNode fast = AnvilNode.startMiningEvery(blockTime)) {
      AnvilChain fastChain = new AnvilChain(fast);
      HttpServer proxy = join(latencyProxy(fast.port(), latencyMs).listen(0, "127.0.0.1"));
      String deployment = join(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("pluginId", pluginId).put("urls", new JsonArray().add("http://127.0.0.1:" + proxy.actualPort()))
        .put("pollIntervalMs", 250).put("readAheadBlocks", readAheadBlocks))));
      try (WsTestClient fastClient = WsTestClient.connect(vertx, hubPort)) {
        List<String> watched = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          watched.add(AnvilChain.freshAddress());
        }
        fastClient.call(subscribe(pluginId, watched, fastChain.head()));
        long startHead = fastChain.head();
        long startProcessed = PluginProbe.total(vertx, pluginId).chain().processedHeight();
        long started = System.nanoTime();
        long end = started + TimeUnit.SECONDS.toNanos(FAST_SECONDS);
        long maxLag = 0;
        long lagSum = 0;
        int samples = 0;
        long nextSample = started + TimeUnit.SECONDS.toNanos(1);
        String sender = fastChain.account(0);
        int sent = 0;
        while (System.nanoTime() < end) {
          fastChain.submitEth(sender, watched.get(sent % watched.size()), BigInteger.ONE);
          sent++;
          long due = started + sent * (1_000_000_000L / FAST_TX_PER_SECOND);
          if (System.nanoTime() >= nextSample) {
            long lag = fastChain.head() - PluginProbe.total(vertx, pluginId).chain().processedHeight();
            maxLag = Math.max(maxLag, lag);
            lagSum += lag;
            samples++;
            nextSample += TimeUnit.SECONDS.toNanos(1);
          }
          long pause = due - System.nanoTime();
          if (pause > 0) {
            TimeUnit.NANOSECONDS.sleep(pause);
          }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long endHead = fastChain.head();
        long endProcessed = PluginProbe.total(vertx, pluginId).chain().processedHeight();
        log.info("benchmark fast chain blockTime={}s readAheadBlocks={} rpcLatencyMs={} seconds={} txSent={} blocksMined={} minedPerSecond={}"
            + " processedPerSecond={} lagBlocks mean={} max={} end={}",
          blockTime, readAheadBlocks, latencyMs, String.format("%.1f", seconds), sent, endHead - startHead,
          String.format("%.2f", (endHead - startHead) / seconds), String.format("%.2f", (endProcessed - startProcessed) / seconds),
          String.format("%.1f", samples == 0 ? 0.0 : (double) lagSum / samples), maxLag, endHead - endProcessed);
      } finally {
        join(vertx.undeploy(deployment));
        join(proxy.close());
      }
    }
  }

  /** An HTTP proxy to anvil that holds every request {@code latencyMs} before forwarding it. */
  private HttpServer latencyProxy(int anvilPort, long latencyMs) {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(64));
    return vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Runnable forward = () -> http.request(HttpMethod.POST, anvilPort, "127.0.0.1", "/")
        .compose(outbound -> outbound.putHeader("Content-Type", "application/json").send(body))
        .compose(HttpClientResponse::body)
        .onSuccess(reply -> request.response().putHeader("Content-Type", "application/json").end(reply))
        .onFailure(failure -> request.response().setStatusCode(502).end());
      if (latencyMs > 0) {
        vertx.setTimer(latencyMs, id -> forward.run());
      } else {
        forward.run();
      }
    }));
  }

  private void deployWorker(String pluginId, JsonObject overrides) {
    JsonObject config = new JsonObject().put("pluginId", pluginId).put("urls", new JsonArray().add(anvil.url())).mergeIn(overrides);
    join(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private static String subscribe(String pluginId, List<String> addresses, long checkpoint) {
    JsonArray params = new JsonArray();
    addresses.forEach(address -> params.add(new JsonArray().add(pluginId).add(address).add(Long.toString(checkpoint))));
    return new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", 1).encode();
  }

  private static String millis(long micros) {
    return String.format("%.1f", micros / 1000.0);
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
