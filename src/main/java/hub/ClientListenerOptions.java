package hub;

import io.vertx.core.http.HttpServerOptions;

/**
 * The client listener's server options from the {@code hub} section: where it binds, WebSocket sizes and compression,
 * TLS ({@code hub.tls}) and the PROXY protocol ({@code hub.proxyProtocol}).
 */
final class ClientListenerOptions {

  private static final int HARD_CAP_SLACK_BYTES = 1024 * 1024;

  private ClientListenerOptions() {
  }

  /** {@code certificate}: what to serve {@code wss://} with, or null for plain {@code ws://}. */
  static HttpServerOptions of(HubSettings settings, ServerCertificate certificate) {
    HubLimits limits = settings.limits();
    HttpServerOptions options = new HttpServerOptions()
      .setHost(settings.host())
      .setPort(settings.port())
      .setPerMessageWebSocketCompressionSupported(settings.compression())
      .setPerFrameWebSocketCompressionSupported(settings.compression())
      // The limit itself is enforced by the session, which can answer with 1009; past this hard cap the transport
      // gives up on the peer without a close frame.
      .setMaxWebSocketMessageSize(limits.maxMessageBytes() + HARD_CAP_SLACK_BYTES)
      .setMaxWebSocketFrameSize(limits.maxMessageBytes() + HARD_CAP_SLACK_BYTES)
      // Every connection must then start with a PROXY header (v1 or v2); its source address becomes the socket's
      // remote address, which the per-address budgets count.
      .setUseProxyProtocol(settings.proxyProtocol());
    if (certificate != null) {
      options.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    }
    return options;
  }
}
