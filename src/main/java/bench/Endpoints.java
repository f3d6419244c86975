package bench;

import io.vertx.core.MultiMap;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.net.URI;
import java.util.Locale;

/** How the tool reaches the server: one place for the client options every socket and probe uses. */
final class Endpoints {

  /** Room for a subscribe reply of 10,000 codes and more; the server decides what it accepts. */
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private Endpoints() {
  }

  static WebSocketConnectOptions connectOptions(URI url, int timeoutMs) {
    boolean tls = "wss".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    return new WebSocketConnectOptions().setHost(url.getHost()).setPort(port).setURI(path).setSsl(tls)
      .setTimeout(timeoutMs);
  }

  /**
   * The default pool allows 50 sockets per server: a load tool needs one per socket it opens. {@code deflate} offers
   * permessage-deflate in every handshake, as the wallets' own clients do.
   */
  static WebSocketClientOptions clientOptions(int sockets, boolean deflate) {
    return new WebSocketClientOptions()
      .setMaxConnections(sockets + 1)
      .setMaxFrameSize(MAX_MESSAGE_BYTES)
      .setMaxMessageSize(MAX_MESSAGE_BYTES)
      .setTryUsePerMessageCompression(deflate);
  }

  /**
   * Whether the server granted permessage-deflate to this socket. Vert.x keeps the handshake response's headers only
   * while the socket is first handed out, so ask in the connect callback.
   */
  static boolean deflateAccepted(WebSocket webSocket) {
    MultiMap headers = webSocket.headers();
    return headers != null && headers.getAll("Sec-WebSocket-Extensions").stream()
      .anyMatch(extensions -> extensions.toLowerCase(Locale.ROOT).contains("permessage-deflate"));
  }
}
