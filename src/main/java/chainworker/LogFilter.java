package chainworker;

import java.util.List;

/**
 * An {@code eth_getLogs} filter, either one block by hash (consistent with the block just read, even across a reorg)
 * or a range of heights. {@code topics} is positional: each entry is null (any value) or the accepted alternatives.
 */
record LogFilter(String blockHash, long fromBlock, long toBlock, List<List<String>> topics) {

  static LogFilter forBlock(String blockHash, List<List<String>> topics) {
    return new LogFilter(blockHash, -1, -1, topics);
  }

  static LogFilter forRange(long fromBlock, long toBlock, List<List<String>> topics) {
    return new LogFilter(null, fromBlock, toBlock, topics);
  }
}
