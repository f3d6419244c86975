package hub;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.InlineHub;
import testkit.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * permessage-deflate, which Node's {@code ws} and Android's OkHttp offer on every connect: declined by default, as
 * Edge's server declines it (each socket that takes it keeps its own zlib state), granted when {@code hub.compression}
 * is on.
 */
@ExtendWith(VertxExtension.class)
class CompressionTest {

  private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";

  private InlineHub hub;

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void anOfferOfCompressionIsDeclinedByDefault(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, new JsonObject());
    try (RawWebSocket socket = RawWebSocket.connect(hub.port(), OFFER)) {
      assertThat(socket.handshakeResponse()).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("sec-websocket-extensions");
    }
  }

  @Test
  void compressionIsGrantedWhenConfigured(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, new JsonObject().put("compression", true));
    try (RawWebSocket socket = RawWebSocket.connect(hub.port(), OFFER)) {
      assertThat(socket.handshakeResponse()).containsIgnoringCase("sec-websocket-extensions: permessage-deflate");
    }
  }
}
