package chainworker;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Follows the chain: polls the head every {@code pollIntervalMs} (and at once when a new head is announced) and
 * processes every block after the last one processed, in order. A block whose parent hash is not the one remembered at
 * the height below means a reorg: processing steps back until the parent matches (the fork point) and goes on along the
 * new branch. A block that cannot be read stops the run, and the next poll starts again from that same block, so
 * nothing is skipped and an outage is caught up from where it began. When behind, up to {@code readAheadBlocks} blocks
 * are read at once; they are still accepted one by one, in order, each against its parent. Used from one context.
 */
final class ChainFollower {

  private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);

  /** What the follower reports, on its context. */
  interface Listener {

    /** A block was processed (again, after a reorg) and touched these addresses. */
    void blockProcessed(long number, Set<String> touched);

    /**
     * Following starts at block {@code number}, the first head seen. Addresses watched before then were answered 2
     * without a position on the chain, and blocks up to this one will not be processed, so they need a re-sync now.
     */
    void followingFrom(long number);

    /** The upstream has been unusable for longer than {@code lostAfterMs}; called on each failed poll from then on. */
    void upstreamLost();
  }

  private final Vertx vertx;
  private final EvmRpc rpc;
  private final BlockReader reader;
  private final Listener listener;
  private final String pluginId;
  private final long pollIntervalMs;
  private final long lostAfterNanos;
  private final RecentBlocks recent;
  private final int readAheadBlocks;
  /** Reads started ahead of the block being accepted, by height. */
  private final Map<Long, Future<BlockActivity>> readAhead = new HashMap<>();
  // Written on the follower's context only; volatile because status() also reads them from the metrics scrape.
  private volatile long lastProcessed = -1;
  private volatile long headSeen = -1;
  private volatile boolean usable;
  private long downSince = -1;
  private long timer = -1;
  private boolean polling;
  private boolean headAnnounced;
  private boolean stopped;

  ChainFollower(Vertx vertx, EvmRpc rpc, BlockReader reader, EvmSettings settings, Listener listener) {
    this.vertx = vertx;
    this.rpc = rpc;
    this.reader = reader;
    this.listener = listener;
    this.pluginId = settings.pluginId();
    this.pollIntervalMs = settings.pollIntervalMs();
    this.lostAfterNanos = TimeUnit.MILLISECONDS.toNanos(settings.lostAfterMs());
    this.recent = new RecentBlocks(settings.reorgDepth());
    this.readAheadBlocks = settings.readAheadBlocks();
  }

  /**
   * Polls once, then keeps polling. Completes after that first poll whatever its outcome, so a worker whose upstream is
   * up starts serving with a position on the chain, and one whose upstream is down still starts (and answers 2).
   */
  Future<Void> start() {
    return poll();
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  /** A new head exists (newHeads): poll now rather than at the next tick, or right after the poll running now. */
  void headAnnounced() {
    if (stopped) {
      return;
    }
    if (polling) {
      headAnnounced = true;
      return;
    }
    vertx.cancelTimer(timer);
    poll();
  }

  /** The periodic poll; skipped when a poll is already running (one started by a head announcement), which reschedules. */
  private void tick() {
    if (!polling) {
      poll();
    }
  }

  /** The last block processed, or -1 before the head was first seen. Activity after it is still to be reported. */
  long lastProcessed() {
    return lastProcessed;
  }

  /** The number of the latest head the node reported, or -1 before the first. */
  long headSeen() {
    return headSeen;
  }

  /** Whether the last poll reached the node and processed up to its head. */
  boolean upstreamUsable() {
    return usable;
  }

  private Future<Void> poll() {
    polling = true;
    Promise<Void> run = Promise.promise();
    rpc.latestHeader().onFailure(run::fail).onSuccess(head -> follow(head, run));
    return run.future().transform(outcome -> {
      polling = false;
      recordOutcome(outcome);
      if (!stopped) {
        timer = vertx.setTimer(headAnnounced ? 1 : pollIntervalMs, id -> tick());
        headAnnounced = false;
      }
      return Future.succeededFuture();
    });
  }

  private void follow(BlockHeader head, Promise<Void> run) {
    headSeen = head.number();
    if (lastProcessed < 0) {
      recent.add(head);
      lastProcessed = head.number();
      log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("block", lastProcessed).log("following the chain");
      listener.followingFrom(lastProcessed);
      run.complete();
      return;
    }
    if (head.number() <= lastProcessed) {
      String known = recent.hash(head.number());
      if (known == null || known.equals(head.hash())) {
        run.complete();
        return;
      }
      // Same height or lower with another hash: the blocks processed from that height on are no longer canonical.
      log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("head", head.number()).addKeyValue("lastProcessed", lastProcessed)
        .log("reorg: head at or below the last block processed, with another hash");
      rewindTo(head.number() - 1);
    }
    advance(head.number(), run);
  }

  private void advance(long target, Promise<Void> run) {
    if (stopped || lastProcessed >= target) {
      readAhead.clear();
      run.complete();
      return;
    }
    long number = lastProcessed + 1;
    for (long ahead = number; ahead <= Math.min(target, number + readAheadBlocks - 1); ahead++) {
      readAhead.computeIfAbsent(ahead, reader::read);
    }
    readAhead.remove(number).onComplete(read -> {
      if (read.failed()) {
        readAhead.clear();
        run.fail(read.cause());
        return;
      }
      if (!stopped) {
        accept(read.result());
      }
      advance(target, run);
    });
  }

  private void accept(BlockActivity block) {
    BlockHeader header = block.header();
    String parent = recent.hash(header.number() - 1);
    if (parent != null && !parent.equals(header.parentHash())) {
      log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("block", header.number()).log("reorg: parent hash differs, stepping back");
      rewindTo(header.number() - 2);
      return;
    }
    recent.add(header);
    lastProcessed = header.number();
    listener.blockProcessed(header.number(), block.touched());
  }

  private void rewindTo(long number) {
    lastProcessed = number;
    recent.forgetAbove(number);
    // Blocks read ahead may belong to either branch: read them again.
    readAhead.clear();
  }

  private void recordOutcome(AsyncResult<Void> outcome) {
    long now = System.nanoTime();
    usable = outcome.succeeded();
    if (outcome.succeeded()) {
      if (downSince >= 0) {
        long downMs = TimeUnit.NANOSECONDS.toMillis(now - downSince);
        log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("downMs", downMs).addKeyValue("lastProcessed", lastProcessed)
          .log("upstream usable again");
        downSince = -1;
      }
      return;
    }
    if (downSince < 0) {
      downSince = now;
      log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("lastProcessed", lastProcessed).addKeyValue("error", String.valueOf(outcome.cause()))
        .log("upstream unusable");
    }
    if (now - downSince >= lostAfterNanos) {
      listener.upstreamLost();
    }
  }
}
