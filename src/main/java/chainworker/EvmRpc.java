package chainworker;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.math.BigInteger;
import java.util.List;

/**
 * The upstream node, as the rest of the worker sees it. Every call is bounded in time, retried and failed over by the
 * implementation; futures complete on the caller's context. A failure with {@link RpcErrorException} means the nodes
 * answered with an error; any other failure means none could be reached in time.
 */
interface EvmRpc {

  /** The header of the node's latest block. */
  Future<BlockHeader> latestHeader();

  /** Block {@code number} with its transactions; fails when the node does not have it (yet). */
  Future<EvmBlock> block(long number);

  Future<List<EvmLog>> logs(LogFilter filter);

  /** The receipt's {@code contractAddress} (lowercase) of a contract-creating transaction; fails when no receipt yet. */
  Future<String> createdContract(String transactionHash);

  Future<BigInteger> nonce(String address, long blockNumber);

  Future<BigInteger> balance(String address, long blockNumber);

  /** {@code trace_block} (Erigon, Nethermind, anvil): the block's flat list of traces. */
  Future<JsonArray> traceBlock(long number);

  /** {@code debug_traceBlockByNumber} with the callTracer (geth and most others): one call tree per transaction. */
  Future<JsonArray> debugTraceBlock(long number);

  /** Releases connections and threads: calls in flight are cancelled; completes once each has returned. */
  Future<Void> close();
}
