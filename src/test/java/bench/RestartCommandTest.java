package bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The storm's restart command: exit code, and the new server's pid from the last line of its stdout. */
class RestartCommandTest {

  @Test
  void readsTheExitCodeAndThePidOnTheLastLine() throws Exception {
    RestartCommand.Outcome outcome = RestartCommand.run("echo stopping; echo noise >&2; printf '4242\\n\\n'; exit 3", 10_000);
    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.newPid()).isEqualTo(4242);
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void aLastLineThatIsNoPidMeansNoNewTree() {
    assertThat(RestartCommand.lastPid(List.of("123", "started"))).isZero();
    assertThat(RestartCommand.lastPid(List.of())).isZero();
  }

  @Test
  void aCommandStillRunningAtTheTimeoutIsKilledAndReported() throws Exception {
    RestartCommand.Outcome outcome = RestartCommand.run("sleep 30", 300);
    assertThat(outcome.exitCode()).isEqualTo(-1);
    assertThat(outcome.failure()).contains("still running");
  }
}
