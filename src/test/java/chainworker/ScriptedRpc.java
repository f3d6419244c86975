package chainworker;

import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.json.JsonArray;
import support.EvmAddress;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory chain behind {@link EvmRpc}, for driving the follower through what a real node rarely does on cue:
 * a block whose logs cannot be read, a deep reorg, an outage. A block's only activity is a token event, so it is seen
 * only if the block's logs were read. Mutated from the test thread, read from the Vert.x context.
 */
final class ScriptedRpc implements EvmRpc {

  private final List<EvmBlock> blocks = new ArrayList<>();
  private final Map<String, String> recipientByHash = new ConcurrentHashMap<>();
  private final AtomicInteger logCalls = new AtomicInteger();
  private volatile boolean down;
  private volatile boolean logsFailing;
  private int hashes;

  ScriptedRpc() {
    append(null);
  }

  /** Mines a block whose only activity is a token transfer to {@code recipient} (none when null). */
  synchronized void append(String recipient) {
    String parent = blocks.isEmpty() ? "0x" : blocks.get(blocks.size() - 1).header().hash();
    String hash = "0xblock" + (++hashes);
    blocks.add(new EvmBlock(new BlockHeader(blocks.size(), hash, parent), List.of()));
    if (recipient != null) {
      recipientByHash.put(hash, recipient);
    }
  }

  /** Drops the latest {@code depth} blocks: the next {@link #append}s build the competing branch. */
  synchronized void dropLatest(int depth) {
    blocks.subList(blocks.size() - depth, blocks.size()).clear();
  }

  void down(boolean down) {
    this.down = down;
  }

  void logsFailing(boolean failing) {
    this.logsFailing = failing;
  }

  int logCalls() {
    return logCalls.get();
  }

  @Override
  public synchronized Future<BlockHeader> latestHeader() {
    return down ? unreachable() : Future.succeededFuture(blocks.get(blocks.size() - 1).header());
  }

  @Override
  public synchronized Future<EvmBlock> block(long number) {
    if (down) {
      return unreachable();
    }
    return number < blocks.size() ? Future.succeededFuture(blocks.get((int) number)) : Future.failedFuture("block " + number + " not available");
  }

  @Override
  public Future<List<EvmLog>> logs(LogFilter filter) {
    logCalls.incrementAndGet();
    if (down || logsFailing) {
      return unreachable();
    }
    String recipient = recipientByHash.get(filter.blockHash());
    if (recipient == null) {
      return Future.succeededFuture(List.of());
    }
    // A transfer to itself: the block touches exactly one address.
    String party = EvmAddress.toTopic(recipient);
    return Future.succeededFuture(List.of(new EvmLog(List.of(TokenEvents.TRANSFER, party, party))));
  }

  @Override
  public Future<String> createdContract(String transactionHash) {
    throw new UnsupportedOperationException("the scripted chain has no transactions");
  }

  @Override
  public Future<BigInteger> nonce(String address, long blockNumber) {
    throw new UnsupportedOperationException("the follower does not scan");
  }

  @Override
  public Future<BigInteger> balance(String address, long blockNumber) {
    throw new UnsupportedOperationException("the follower does not scan");
  }

  @Override
  public Future<JsonArray> traceBlock(long number) {
    throw new UnsupportedOperationException("tracing is off in these tests");
  }

  @Override
  public Future<JsonArray> debugTraceBlock(long number) {
    throw new UnsupportedOperationException("tracing is off in these tests");
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static <T> Future<T> unreachable() {
    return Future.failedFuture(new VertxException("scripted outage", true));
  }
}
