package ops;

import io.vertx.core.Vertx;

/**
 * A heap whose readings a test sets, and the {@link MemoryGuard} that watches it on a clock the test moves. {@link
 * #attachTo} makes that guard the one a Vert.x instance's hub and plugins consult.
 */
public final class FakeHeap implements HeapReadings {

  private static final long MAX = 1_000;

  private long used;
  private long live;
  private int collections;
  private long nowMs;
  private final MemoryGuard guard;

  FakeHeap(MemoryGuard.Settings settings) {
    this.guard = new MemoryGuard(settings, this, () -> nowMs);
  }

  /** A guard with watermarks 80 % / 70 % and a forced collection at most every 10 s over a fake heap. */
  public static FakeHeap attachTo(Vertx vertx) {
    FakeHeap heap = new FakeHeap(MemoryGuard.Settings.fromJson(new io.vertx.core.json.JsonObject().put("highPercent", 80).put("lowPercent", 70)));
    MemoryGuard.attach(vertx, heap.guard);
    return heap;
  }

  /** The old generation in use now and after the latest collection, in percent of its maximum; then one check. */
  public void set(int usedPercent, int livePercent) {
    used = usedPercent * MAX / 100;
    live = livePercent * MAX / 100;
    check();
  }

  /** Runs the guard's check, and the collection it asks for (which leaves only the live part). */
  void check() {
    if (guard.check()) {
      collections++;
      used = live;
      guard.collected();
      guard.check();
    }
  }

  void advance(long ms) {
    nowMs += ms;
  }

  int collections() {
    return collections;
  }

  public MemoryGuard guard() {
    return guard;
  }

  @Override
  public long used() {
    return used;
  }

  @Override
  public long liveAfterGc() {
    return live;
  }

  @Override
  public long max() {
    return MAX;
  }

  @Override
  public void collect() {
    used = live;
  }
}
