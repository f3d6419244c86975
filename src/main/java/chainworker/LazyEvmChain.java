package chainworker;

import api.plugin.ActivitySink;
import api.plugin.Chain;
import api.plugin.ChainStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.EvmAddress;

import java.util.HashSet;
import java.util.Set;

/**
 * An EVM chain that costs nothing while nobody subscribes to it: no RPC client, thread pool or poll exists until the
 * first valid address is watched or scanned; then the chain worker's {@link EvmChain} is built and started (its first
 * poll is part of that first subscribe's scan, which the hub waits for). After {@code idleStopMs} with no address
 * watched it is stopped and dropped again, and the next subscribe starts a fresh one. An invalid address is refused
 * without starting anything. Same contract as the chain it wraps: everything on the plugin verticle's context.
 */
final class LazyEvmChain implements Chain {

  private static final Logger log = LoggerFactory.getLogger(LazyEvmChain.class);

  private final Vertx vertx;
  private final JsonObject config;
  private final String pluginId;
  private final long idleStopMs;
  /** What the endpoint has asked to watch; the running chain holds the same set. */
  private final Set<String> watched = new HashSet<>();
  private ActivitySink sink;
  /** The running chain, or null while idle; volatile for {@link #status()}, read by the metrics scrape. */
  private volatile Chain running;
  private Future<Chain> ready;
  private long idleTimer = -1;

  /** {@code config}: a chain worker's (see {@link EvmSettings}), checked now so that a bad one fails at start, not at first use. */
  LazyEvmChain(Vertx vertx, JsonObject config, long idleStopMs) {
    this.vertx = vertx;
    this.config = config.copy();
    this.pluginId = EvmSettings.fromJson(config).pluginId();
    this.idleStopMs = idleStopMs;
  }

  @Override
  public String pluginId() {
    return pluginId;
  }

  @Override
  public Future<Void> start(ActivitySink sink) {
    this.sink = sink;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    vertx.cancelTimer(idleTimer);
    return stopRunning();
  }

  /** Whether the chain is running now (started by a subscribe, not yet stopped for idleness). */
  boolean isRunning() {
    return running != null;
  }

  @Override
  public String normalize(String address) {
    return EvmAddress.normalize(address);
  }

  @Override
  public Future<Integer> scan(String normalizedAddress, String checkpoint) {
    Future<Integer> answer = ensureRunning().compose(chain -> chain.scan(normalizedAddress, checkpoint));
    // A scan without a watch (not done by the endpoint today) must not keep a chain up forever.
    answer.onComplete(done -> stopWhenIdle());
    return answer;
  }

  @Override
  public void watch(String normalizedAddress) {
    watchOnceRunning(normalizedAddress, false);
  }

  @Override
  public void adopt(String normalizedAddress) {
    watchOnceRunning(normalizedAddress, true);
  }

  /**
   * Passes the watch on once the chain's first poll is done: a worker that starts with addresses already watched
   * re-syncs them (an update at its first head), which a subscriber answered by this very start's scan must not get.
   * Blocks after that first poll are matched with the address watched, as no other poll runs before this.
   */
  private void watchOnceRunning(String normalizedAddress, boolean adopt) {
    watched.add(normalizedAddress);
    Future<Chain> starting = ensureRunning();
    starting.onSuccess(chain -> {
      if (chain == running && watched.contains(normalizedAddress)) {
        if (adopt) {
          chain.adopt(normalizedAddress);
        } else {
          chain.watch(normalizedAddress);
        }
      }
    });
  }

  @Override
  public void release(String normalizedAddress) {
    if (running != null) {
      running.release(normalizedAddress);
    }
  }

  @Override
  public void unwatch(String normalizedAddress) {
    watched.remove(normalizedAddress);
    if (running != null) {
      running.unwatch(normalizedAddress);
    }
    stopWhenIdle();
  }

  /** An idle chain has no upstream to be down: it must not hold readiness back. */
  @Override
  public ChainStatus status() {
    Chain chain = running;
    return chain == null ? ChainStatus.NO_UPSTREAM : chain.status();
  }

  private Future<Chain> ensureRunning() {
    vertx.cancelTimer(idleTimer);
    idleTimer = -1;
    if (running == null) {
      Chain chain = ChainWorkerVerticle.chain(vertx, config);
      running = chain;
      log.atInfo().addKeyValue("pluginId", pluginId).log("chain started on first subscribe");
      ready = chain.start(sink).map(chain);
    }
    return ready;
  }

  private void stopWhenIdle() {
    if (running == null || !watched.isEmpty() || idleTimer >= 0) {
      return;
    }
    idleTimer = vertx.setTimer(idleStopMs, id -> {
      idleTimer = -1;
      if (watched.isEmpty()) {
        log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("idleStopMs", idleStopMs).log("chain stopped: no subscription");
        stopRunning();
      }
    });
  }

  private Future<Void> stopRunning() {
    Chain chain = running;
    running = null;
    ready = null;
    return chain == null ? Future.succeededFuture() : chain.stop();
  }
}
