package chainworker;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** URL templating: the key goes into the URL and nowhere a log could show it. */
class UpstreamTest {

  private static final String KEY = "s3cr3t-key";

  @Test
  void keyIsFilledInFromTheHostsEntryAndKeptOutOfTheLabel() {
    List<Upstream> upstreams = Upstream.resolveHttp(
      List.of("https://eth.example.org/v2/{{apiKey}}", "http://127.0.0.1:8545"),
      new JsonObject().put("eth.example.org", KEY));

    assertThat(upstreams.get(0).url()).isEqualTo("https://eth.example.org/v2/" + KEY);
    assertThat(upstreams.get(0).toString()).isEqualTo("https://eth.example.org");
    assertThat(upstreams.get(0).redact("POST https://eth.example.org/v2/" + KEY + " failed")).doesNotContain(KEY);
    assertThat(upstreams.get(1).url()).isEqualTo("http://127.0.0.1:8545");
    assertThat(upstreams.get(1).toString()).isEqualTo("http://127.0.0.1:8545");
    assertThat(Upstream.resolveWebSocket("wss://eth.example.org/ws/{{apiKey}}", new JsonObject().put("eth.example.org", KEY)).url())
      .isEqualTo("wss://eth.example.org/ws/" + KEY);
  }

  @Test
  void aTemplateWithoutAKeyForItsHostOrAnUnsupportedSchemeIsRejected() {
    assertThatThrownBy(() -> Upstream.resolveHttp(List.of("https://other.example.org/{{apiKey}}"), new JsonObject().put("eth.example.org", KEY)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.example.org");
    assertThatThrownBy(() -> Upstream.resolveHttp(List.of("ws://127.0.0.1:8546"), new JsonObject()))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    assertThatThrownBy(() -> Upstream.resolveWebSocket("https://127.0.0.1:8546", new JsonObject()))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws");
  }
}
