package support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

  @Test
  void doublesUpToTheMaximumAndStartsOverAfterReset() {
    Backoff backoff = new Backoff(1_000, 60_000, false);
    long[] delays = new long[8];
    for (int i = 0; i < delays.length; i++) {
      delays[i] = backoff.nextDelayMs();
    }
    assertThat(delays).containsExactly(1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000);
    backoff.reset();
    assertThat(backoff.nextDelayMs()).isEqualTo(1_000);
  }

  @Test
  void jitterStaysInTheUpperHalfOfEachDelay() {
    Backoff backoff = new Backoff(1_000, 8_000, true);
    long[] ceilings = {1_000, 2_000, 4_000, 8_000, 8_000};
    for (long ceiling : ceilings) {
      assertThat(backoff.nextDelayMs()).isBetween(ceiling / 2, ceiling);
    }
  }
}
