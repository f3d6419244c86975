package supervision;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A child's output lines as the parent prints them. */
class ChildProcessTest {

  @Test
  void aJsonLineGetsTheChildsNameAndAGrandchildsLineThePath() {
    String line = "{\"ts\":\"t\",\"msg\":\"upstream unusable\",\"pluginId\":\"ethereum\"}";
    String child = ChildProcess.labelled("ethereum", line);
    assertThat(new JsonObject(child).getString("process")).isEqualTo("ethereum");
    String grandchild = ChildProcess.labelled("evmRpc", child);
    assertThat(grandchild).startsWith("{\"process\":\"evmRpc/ethereum\",\"ts\"");
    assertThat(new JsonObject(grandchild).fieldNames()).containsExactly("process", "ts", "msg", "pluginId");
  }

  @Test
  void anyOtherLineGetsAPrefix() {
    assertThat(ChildProcess.labelled("fake", "# A fatal error has been detected")).isEqualTo("[fake] # A fatal error has been detected");
  }
}
