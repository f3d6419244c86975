package chainworker;

import java.util.List;

/** A block with its transactions. */
record EvmBlock(BlockHeader header, List<EvmTransaction> transactions) {
}
