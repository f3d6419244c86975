package chainworker;

import java.util.TreeMap;

/** The hashes of the last processed blocks by height, to tell a reorg from the chain growing and find the fork point. */
final class RecentBlocks {

  private final int capacity;
  private final TreeMap<Long, String> hashes = new TreeMap<>();

  RecentBlocks(int capacity) {
    this.capacity = capacity;
  }

  void add(BlockHeader header) {
    hashes.put(header.number(), header.hash());
    while (hashes.size() > capacity) {
      hashes.pollFirstEntry();
    }
  }

  /** The remembered hash at that height, or null when it is too old or not processed yet. */
  String hash(long number) {
    return hashes.get(number);
  }

  /** Forgets the blocks above {@code number}: they are no longer on the chain being followed. */
  void forgetAbove(long number) {
    hashes.tailMap(number, false).clear();
  }
}
