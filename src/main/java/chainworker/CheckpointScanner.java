package chainworker;

import api.ResultCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.math.BigInteger;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * "Anything for this address after block C?" without an indexer (CHAINS.md): the nonce and the balance at C against
 * the last processed block L, then token events over C+1..L in ranges of {@code maxLogRange} blocks. Blocks after L
 * need no scan: the follower reports them, as the address is watched before it is scanned. When the node cannot answer
 * (no state at C on a full node, or no node at all), the Etherscan-compatible APIs configured answer instead, the
 * first that can.
 * Anything uncertain — no checkpoint, no position on the chain yet, no answer, a range over {@code maxScanBlocks} —
 * answers 2.
 */
final class CheckpointScanner {

  private static final Pattern HEIGHT = Pattern.compile("\\d{1,18}");
  private static final Future<Integer> CHANGED = Future.succeededFuture(ResultCode.CHANGED);
  private static final Future<Integer> UNCHANGED = Future.succeededFuture(ResultCode.UNCHANGED);

  private final EvmRpc rpc;
  private final int maxLogRange;
  private final long maxScanBlocks;
  private final LongSupplier lastProcessed;
  private final List<EtherscanClient> explorers;

  /** {@code explorers}: the fallbacks when the node cannot answer, asked in order (none: the scan answers 2). */
  CheckpointScanner(EvmRpc rpc, List<EtherscanClient> explorers, int maxLogRange, long maxScanBlocks, LongSupplier lastProcessed) {
    this.rpc = rpc;
    this.explorers = explorers;
    this.maxLogRange = maxLogRange;
    this.maxScanBlocks = maxScanBlocks;
    this.lastProcessed = lastProcessed;
  }

  Future<Integer> scan(String address, String checkpoint) {
    if (checkpoint == null || !HEIGHT.matcher(checkpoint).matches()) {
      return CHANGED;
    }
    long from = Long.parseLong(checkpoint);
    long to = lastProcessed.getAsLong();
    if (to < 0 || to - from > maxScanBlocks) {
      return CHANGED;
    }
    if (from >= to) {
      return UNCHANGED;
    }
    Future<Integer> answer = nodeScan(address, from, to);
    for (EtherscanClient explorer : explorers) {
      answer = answer.recover(failure -> explorer.hasActivity(address, from + 1, to).map(found -> found ? ResultCode.CHANGED : ResultCode.UNCHANGED));
    }
    return answer;
  }

  private Future<Integer> nodeScan(String address, long from, long to) {
    Future<BigInteger> nonceThen = rpc.nonce(address, from);
    Future<BigInteger> nonceNow = rpc.nonce(address, to);
    Future<BigInteger> balanceThen = rpc.balance(address, from);
    Future<BigInteger> balanceNow = rpc.balance(address, to);
    return Future.all(nonceThen, nonceNow, balanceThen, balanceNow).compose(all -> {
      boolean stateChanged = !nonceThen.result().equals(nonceNow.result()) || !balanceThen.result().equals(balanceNow.result());
      return stateChanged ? CHANGED : tokenEvents(address, from + 1, to);
    });
  }

  /** Token events with the address as a party in {@code from..to}, range by range, stopping at the first found. */
  private Future<Integer> tokenEvents(String address, long from, long to) {
    Promise<Integer> answer = Promise.promise();
    scanRange(TokenEvents.involving(address), from, to, answer);
    return answer.future();
  }

  private void scanRange(List<List<List<String>>> filters, long start, long to, Promise<Integer> answer) {
    if (start > to) {
      answer.complete(ResultCode.UNCHANGED);
      return;
    }
    long end = Math.min(to, start + maxLogRange - 1);
    List<Future<List<EvmLog>>> queries = filters.stream().map(topics -> rpc.logs(LogFilter.forRange(start, end, topics))).toList();
    Future.all(queries).onFailure(answer::fail).onSuccess(all -> {
      if (queries.stream().anyMatch(query -> !query.result().isEmpty())) {
        answer.complete(ResultCode.CHANGED);
      } else {
        scanRange(filters, end + 1, to, answer);
      }
    });
  }
}
