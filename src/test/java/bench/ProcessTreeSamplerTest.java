package bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The sampler on this very JVM: RSS counts every resident page, PSS shares the shared ones out, so PSS ≤ RSS. */
class ProcessTreeSamplerTest {

  @Test
  void proportionalMemoryIsMeasuredAndNeverAboveResidentMemory() {
    try (ProcessTreeSampler sampler = new ProcessTreeSampler(ProcessHandle.current().pid())) {
      sampler.sample();
      assertThat(sampler.peakRssBytes()).isPositive();
      assertThat(sampler.peakPssBytes()).isPositive().isLessThanOrEqualTo(sampler.peakRssBytes());
    }
  }
}
