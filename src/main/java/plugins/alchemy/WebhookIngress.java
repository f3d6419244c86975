package plugins.alchemy;

import api.BusCodecs;
import api.Redact;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Alchemy's deliveries: {@code POST /webhook/alchemy/<pluginId>} on {@code webhook.host:port} (behind the operator's
 * TLS proxy). Nothing of a request is parsed before its {@code X-Alchemy-Signature} is checked: the hex HMAC-SHA256 of
 * the raw body under that network's webhook signing key, compared in constant time. Missing or wrong: 401, nothing
 * changes. The body is bounded ({@code maxBodyBytes}: 413). A verified delivery's addresses are published on
 * {@link #busAddress} for its pluginId, which every instance of the plugin consumes (each reports the addresses it
 * holds), so the instance Alchemy happened to reach need not own them. Redeliveries of an event id are dropped by each
 * consumer (a redelivery may reach another instance's ingress, so only the consumers see every one).
 */
final class WebhookIngress {

  private static final Logger log = LoggerFactory.getLogger(WebhookIngress.class);
  private static final String PATH_PREFIX = "/webhook/alchemy/";

  private static final long REFUSED_LOG_INTERVAL_NANOS = 60_000_000_000L;
  /** How long the rest of a refused body is read and dropped before its connection is closed anyway. */
  private static final long LINGER_MS = 2_000;
  /** A connection that sends nothing for this long is closed (a delivery takes milliseconds to send). */
  private static final int IDLE_TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final AlchemySettings settings;
  private final Map<String, AlchemyNetwork> networks = new ConcurrentHashMap<>();
  private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();
  private HttpServer server;
  /** Refused deliveries since the last line about them: one WARN a minute at most, so a forger cannot flood the log. */
  private long refusedUnlogged;
  private long refusedLoggedAtNanos = System.nanoTime() - REFUSED_LOG_INTERVAL_NANOS;

  WebhookIngress(Vertx vertx, AlchemySettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    settings.networks().forEach(network -> networks.put(network.pluginId(), network));
  }

  /** Where a pluginId's verified activity is published: {@code {"id": eventId, "addresses": {address: block}}}. */
  static String busAddress(String pluginId) {
    return "alchemy.activity." + pluginId;
  }

  /** The signing key of a pluginId's webhook, from create-webhook or team-webhooks. */
  void signingKey(String pluginId, String key) {
    if (key != null) {
      signingKeys.put(pluginId, key.getBytes(StandardCharsets.UTF_8));
    }
  }

  Future<HttpServer> listen() {
    BusCodecs.register(vertx);
    server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.webhookHost()).setPort(settings.webhookPort())
      .setIdleTimeout(IDLE_TIMEOUT_SECONDS));
    return server.requestHandler(this::handle).listen().onSuccess(s -> log.atInfo().addKeyValue("host", settings.webhookHost())
      .addKeyValue("port", s.actualPort()).log("Alchemy webhook ingress listening"));
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    String pluginId = request.path().startsWith(PATH_PREFIX) ? request.path().substring(PATH_PREFIX.length()) : null;
    AlchemyNetwork network = pluginId == null ? null : networks.get(pluginId);
    if (network == null) {
      end(request, 404, "not found");
      return;
    }
    if (request.method() != HttpMethod.POST) {
      end(request, 405, "method not allowed");
      return;
    }
    String length = request.getHeader("Content-Length");
    boolean[] refused = {length != null && tooLong(length)};
    if (refused[0]) {
      tooLarge(request);
    }
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > settings.maxBodyBytes()) {
        refused[0] = true;
        tooLarge(request);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      if (refused[0]) {
        request.connection().close();
      } else {
        verified(request, network, body);
      }
    });
  }

  /**
   * 413 with {@code Connection: close}. The rest of the body is read and dropped until it ends (then the connection
   * closes), for at most {@link #LINGER_MS}: a sender still writing gets the answer rather than a reset, and no sender
   * can make the ingress read an unbounded body or keep a half-read connection for its next request.
   */
  private void tooLarge(HttpServerRequest request) {
    request.response().putHeader("Connection", "close");
    end(request, 413, "body too large");
    vertx.setTimer(LINGER_MS, t -> request.connection().close());
  }

  private boolean tooLong(String length) {
    try {
      return Long.parseLong(length.trim()) > settings.maxBodyBytes();
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private void verified(HttpServerRequest request, AlchemyNetwork network, Buffer body) {
    byte[] key = signingKeys.get(network.pluginId());
    String signature = request.getHeader("X-Alchemy-Signature");
    if (key == null || signature == null || !MessageDigest.isEqual(hmacHex(key, body.getBytes()), signature.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII))) {
      refusedUnlogged++;
      if (System.nanoTime() - refusedLoggedAtNanos >= REFUSED_LOG_INTERVAL_NANOS) {
        log.atWarn().addKeyValue("pluginId", network.pluginId()).addKeyValue("reason", key == null ? "no signing key yet" : signature == null ? "missing" : "mismatch")
          .addKeyValue("client", Redact.client(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress()))
          .addKeyValue("refused", refusedUnlogged).log("webhook signature refused");
        refusedUnlogged = 0;
        refusedLoggedAtNanos = System.nanoTime();
      }
      end(request, 401, "invalid signature");
      return;
    }
    JsonObject payload;
    try {
      payload = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      end(request, 400, "invalid payload");
      return;
    }
    JsonObject event = payload.getValue("event") instanceof JsonObject object ? object : new JsonObject();
    if (!"ADDRESS_ACTIVITY".equals(payload.getValue("type")) || !network.network().equals(event.getValue("network"))) {
      end(request, 400, "unexpected webhook type or network");
      return;
    }
    String id = payload.getValue("id") instanceof String text ? text : null;
    JsonObject addresses = new JsonObject();
    ActivityParser.addresses(payload, network.solana()).forEach(addresses::put);
    vertx.eventBus().publish(busAddress(network.pluginId()), new JsonObject().put("id", id).put("addresses", addresses));
    end(request, 200, "ok");
  }

  static byte[] hmacHex(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void end(HttpServerRequest request, int status, String text) {
    request.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(text);
  }
}
