package chainworker;

import api.plugin.ActivitySink;
import api.plugin.Chain;
import api.plugin.ChainStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import ops.UpstreamCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.EvmAddress;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One EVM chain behind the plugin contract: the addresses watched, the follower that reports them, the scanner. */
final class EvmChain implements Chain, ChainFollower.Listener {

  private static final Logger log = LoggerFactory.getLogger(EvmChain.class);

  private final String pluginId;
  private final EvmRpc rpc;
  private final List<EtherscanClient> explorers;
  private final ChainFollower follower;
  private final CheckpointScanner scanner;
  private final NewHeadsSubscription newHeads;
  private final UpstreamCounters counters;
  private final Set<String> watched = new HashSet<>();
  private ActivitySink sink;

  /**
   * @param explorers the scans' fallbacks when the node cannot answer, in order (may be empty)
   * @param newHeads  where to subscribe to new heads, or null to rely on polling alone
   * @param counters  the upstream errors and reconnects of {@code rpc} and {@code explorers}; newHeads adds its own
   */
  EvmChain(Vertx vertx, EvmSettings settings, EvmRpc rpc, List<EtherscanClient> explorers, Upstream newHeads, UpstreamCounters counters) {
    this.pluginId = settings.pluginId();
    this.counters = counters;
    this.rpc = rpc;
    this.explorers = explorers;
    BlockReader reader = new BlockReader(rpc, new InternalTransfers(rpc, pluginId, settings.internalTransfers()));
    this.follower = new ChainFollower(vertx, rpc, reader, settings, this);
    this.scanner = new CheckpointScanner(rpc, explorers, settings.maxLogRange(), settings.maxScanBlocks(), follower::lastProcessed);
    this.newHeads = newHeads == null ? null
      : new NewHeadsSubscription(vertx, newHeads, pluginId, settings.callTimeoutMs(), settings.retryBackoffMs(), settings.pollIntervalMs(),
        follower::headAnnounced, counters);
  }

  @Override
  public String pluginId() {
    return pluginId;
  }

  @Override
  public Future<Void> start(ActivitySink sink) {
    this.sink = sink;
    Future<Void> subscribed = newHeads == null ? Future.succeededFuture() : newHeads.start();
    return Future.all(subscribed, follower.start()).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    if (newHeads != null) {
      newHeads.stop();
    }
    follower.stop();
    List<Future<Void>> closed = new ArrayList<>();
    closed.add(rpc.close());
    explorers.forEach(explorer -> closed.add(explorer.close()));
    return Future.all(closed).mapEmpty();
  }

  @Override
  public String normalize(String address) {
    return EvmAddress.normalize(address);
  }

  @Override
  public Future<Integer> scan(String normalizedAddress, String checkpoint) {
    return scanner.scan(normalizedAddress, checkpoint);
  }

  @Override
  public void watch(String normalizedAddress) {
    watched.add(normalizedAddress);
  }

  @Override
  public void unwatch(String normalizedAddress) {
    watched.remove(normalizedAddress);
  }

  /** The node counts as up while the follower's polls succeed; newHeads is only a doorbell and does not decide it. */
  @Override
  public ChainStatus status() {
    return new ChainStatus(follower.headSeen(), follower.lastProcessed(), follower.upstreamUsable(), counters.errors(), counters.reconnects());
  }

  @Override
  public void blockProcessed(long number, Set<String> touched) {
    String checkpoint = Long.toString(number);
    for (String address : touched) {
      if (watched.contains(address)) {
        sink.activity(address, checkpoint);
      }
    }
  }

  @Override
  public void followingFrom(long number) {
    String checkpoint = Long.toString(number);
    watched.forEach(address -> sink.activity(address, checkpoint));
  }

  @Override
  public void upstreamLost() {
    if (watched.isEmpty()) {
      return;
    }
    log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("addresses", watched.size()).log("upstream down past lostAfterMs: addresses lost");
    for (String address : List.copyOf(watched)) {
      sink.lost(address);
      // The endpoint unwatches it too, unless it had no subscriber left: either way it is no longer watched.
      watched.remove(address);
    }
  }
}
