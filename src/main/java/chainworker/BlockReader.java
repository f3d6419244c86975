package chainworker;

import io.vertx.core.Future;

import java.util.List;
import java.util.Objects;

/**
 * Reads one block with everything needed to match it: its transactions, the receipts of its contract creations, its
 * token events (one {@code eth_getLogs} by block hash, so the logs belong to exactly the block read) and its internal
 * transfers. Fails as a whole if any part cannot be fetched: a block is never matched with a part missing.
 */
final class BlockReader {

  private final EvmRpc rpc;
  private final InternalTransfers internalTransfers;

  BlockReader(EvmRpc rpc, InternalTransfers internalTransfers) {
    this.rpc = rpc;
    this.internalTransfers = internalTransfers;
  }

  Future<BlockActivity> read(long number) {
    return rpc.block(number).compose(block -> {
      Future<List<EvmLog>> logs = rpc.logs(LogFilter.forBlock(block.header().hash(), TokenEvents.ANY_TRANSFER));
      Future<List<String>> created = createdContracts(block);
      Future<List<String>> internal = internalTransfers.touched(number);
      return Future.all(logs, created, internal)
        .map(all -> new BlockActivity(block.header(), BlockMatcher.touched(block, created.result(), logs.result(), internal.result())));
    });
  }

  private Future<List<String>> createdContracts(EvmBlock block) {
    List<Future<String>> receipts = block.transactions().stream()
      .filter(EvmTransaction::createsContract)
      .map(transaction -> rpc.createdContract(transaction.hash()))
      .toList();
    return Future.all(receipts).map(all -> receipts.stream().map(Future::result).filter(Objects::nonNull).toList());
  }
}
