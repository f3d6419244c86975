package chainworker;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every address a block touched (CHAINS.md, "Activity for an address in block N"): the parties of its transactions,
 * the contracts they created, the parties of its token events and of its internal value transfers. The caller keeps
 * the ones it watches, so matching costs one hash lookup per touched address whatever the number watched.
 */
final class BlockMatcher {

  private BlockMatcher() {
  }

  /**
   * Addresses in and out are lowercase.
   *
   * @param createdContracts the receipts' contractAddress of the block's contract creations
   * @param tokenLogs        the block's logs (any log is accepted; only token events count)
   * @param internal         addresses reached by internal calls that moved value or created contracts
   */
  static Set<String> touched(EvmBlock block, Collection<String> createdContracts, List<EvmLog> tokenLogs, Collection<String> internal) {
    Set<String> touched = new HashSet<>();
    for (EvmTransaction transaction : block.transactions()) {
      touched.add(transaction.from());
      if (transaction.to() != null) {
        touched.add(transaction.to());
      }
    }
    touched.addAll(createdContracts);
    for (EvmLog log : tokenLogs) {
      touched.addAll(TokenEvents.parties(log));
    }
    touched.addAll(internal);
    return touched;
  }
}
