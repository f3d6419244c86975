package ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Comparator;
import java.util.List;

/**
 * What {@link MemoryGuard} reads: the heap pool where long-lived objects end up (the old generation of a generational
 * collector, the single heap pool of the others), its use now, its use after the latest collection of it, its maximum.
 */
interface HeapReadings {

  long used();

  long liveAfterGc();

  long max();

  /** Runs a full collection (blocking). */
  void collect();

  /** This JVM's old generation ("PS Old Gen", "G1 Old Gen", "Tenured Gen", …), else its largest heap pool. */
  static HeapReadings ofThisJvm() {
    List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported())
      .toList();
    MemoryPoolMXBean old = heapPools.stream()
      .filter(pool -> pool.getName().contains("Old") || pool.getName().contains("Tenured"))
      .findFirst()
      .orElseGet(() -> heapPools.stream().max(Comparator.comparingLong(pool -> pool.getUsage().getMax())).orElseThrow());
    long heapMax = Runtime.getRuntime().maxMemory();
    return new HeapReadings() {
      @Override
      public long used() {
        return old.getUsage().getUsed();
      }

      @Override
      public long liveAfterGc() {
        MemoryUsage usage = old.getCollectionUsage();
        return usage == null ? 0 : usage.getUsed();
      }

      @Override
      public long max() {
        long max = old.getUsage().getMax();
        return max > 0 ? max : heapMax;
      }

      @Override
      public void collect() {
        System.gc();
      }
    };
  }
}
