package ops;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the guard closes and opens, driven by heap readings a test sets and a clock it moves. */
class MemoryGuardTest {

  private final FakeHeap heap = new FakeHeap(MemoryGuard.Settings.fromJson(new JsonObject().put("highPercent", 80).put("lowPercent", 70)));

  @Test
  void garbageThatFillsTheOldGenerationIsCollectedAndRefusesNothing() {
    heap.advance(10_000);
    heap.set(85, 20);
    assertThat(heap.collections()).as("a full old generation is checked by a collection").isEqualTo(1);
    assertThat(heap.guard().admits()).isTrue();
    heap.set(50, 20);
    assertThat(heap.collections()).isEqualTo(1);
  }

  @Test
  void aLiveHeapOverTheHighWatermarkClosesAndOnlyUnderTheLowOneOpens() {
    heap.advance(10_000);
    heap.set(90, 85);
    assertThat(heap.guard().admits()).isFalse();
    heap.advance(1_000);
    heap.set(75, 75);
    assertThat(heap.guard().admits()).as("between the watermarks it stays as it was").isFalse();
    assertThat(heap.collections()).as("no second collection within minGcIntervalMs").isEqualTo(1);
    heap.advance(10_000);
    heap.set(75, 72);
    assertThat(heap.collections()).as("while closed it re-measures every minGcIntervalMs").isEqualTo(2);
    assertThat(heap.guard().admits()).isFalse();
    heap.advance(10_000);
    heap.set(72, 60);
    assertThat(heap.guard().admits()).isTrue();
  }

  @Test
  void anOldGenerationThatRefillsFasterThanItCanBeCheckedClosesAtOnceWhenItsLivePartIsHigh() {
    heap.advance(10_000);
    heap.set(82, 72);
    assertThat(heap.guard().admits()).as("72 % live is under the high watermark").isTrue();
    heap.advance(1_000);
    heap.set(81, 72);
    assertThat(heap.guard().admits()).as("full again after one second, with 72 % live: subscriptions outrun the checks").isFalse();
  }

  @Test
  void anOldGenerationThatRefillsFastWithGarbageOnlyStaysOpen() {
    heap.advance(10_000);
    heap.set(82, 10);
    heap.advance(1_000);
    heap.set(81, 10);
    assertThat(heap.guard().admits()).isTrue();
  }

  @Test
  void aDisabledGuardNeverCloses() {
    FakeHeap disabled = new FakeHeap(MemoryGuard.Settings.fromJson(new JsonObject().put("enabled", false)));
    disabled.advance(10_000);
    disabled.set(99, 99);
    assertThat(disabled.guard().admits()).isTrue();
    assertThat(disabled.collections()).isZero();
  }

  @Test
  void watermarksOutOfOrderAreRefusedAtStart() {
    assertThatThrownBy(() -> MemoryGuard.Settings.fromJson(new JsonObject().put("highPercent", 60).put("lowPercent", 70)))
      .hasMessageContaining("lowPercent <= highPercent");
  }

  @Test
  void thisJvmsOldGenerationIsFoundAndMeasuredAfterACollection() {
    HeapReadings jvm = HeapReadings.ofThisJvm();
    jvm.collect();
    assertThat(jvm.max()).isPositive();
    assertThat(jvm.liveAfterGc()).isPositive().isLessThanOrEqualTo(jvm.max());
  }
}
