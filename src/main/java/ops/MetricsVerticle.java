package ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (and {@code /health}) for a JVM without an admin endpoint: a plugin or chain worker started
 * with {@code metrics.port}, or any child JVM of {@code role: all} (the launcher gives each a port). Each JVM serves its
 * own registry; nothing is forwarded to the hub. Config: the {@code metrics} section ({@code host}, default 127.0.0.1;
 * {@code port}; {@code optional}: when the port cannot be bound, log it and run without /metrics rather than fail the
 * JVM's start, which the launcher sets for the ports it assigns).
 */
public final class MetricsVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MetricsVerticle.class);

  private HttpServer server;

  /** Whether a role's config asks for a metrics endpoint (it is off by default). */
  public static boolean enabled(JsonObject config) {
    return config.getJsonObject("metrics", new JsonObject()).getInteger("port") != null;
  }

  @Override
  public Future<?> start() {
    String host = config().getString("host", "127.0.0.1");
    // HTTP/1.1 only, like the hub's admin endpoint (no h2c upgrade).
    server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(this::handle);
    int port = config().getInteger("port");
    return server.listen(port, host)
      .onSuccess(s -> log.atInfo().addKeyValue("host", host).addKeyValue("port", s.actualPort()).log("metrics listening"))
      .recover(failure -> {
        if (!config().getBoolean("optional", false)) {
          return Future.failedFuture(failure);
        }
        log.atWarn().addKeyValue("host", host).addKeyValue("port", port).addKeyValue("error", failure.toString())
          .log("metrics port unavailable: this JVM serves no /metrics");
        return Future.succeededFuture(server);
      });
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    switch (request.path()) {
      case "/metrics" -> request.response().putHeader("content-type", Metrics.PROMETHEUS_TEXT).end(Metrics.of(vertx).scrape());
      case "/health" -> request.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
      default -> request.response().setStatusCode(404).end();
    }
  }
}
