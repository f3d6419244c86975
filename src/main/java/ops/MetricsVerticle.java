package ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (and {@code /health}) for a JVM without an admin endpoint: a plugin or chain worker started
 * with {@code metrics.port}. Each JVM serves its own registry; nothing is forwarded to the hub. Config: the
 * {@code metrics} section ({@code host}, default 127.0.0.1; {@code port}).
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
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(config().getInteger("port"), host)
      .onSuccess(s -> log.atInfo().addKeyValue("host", host).addKeyValue("port", s.actualPort()).log("metrics listening"));
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
