package hub;

import api.Action;
import api.BurstRequest;
import api.BusAddresses;
import api.NodeIds;
import api.PluginStats;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin HTTP endpoint of a hub JVM (default 127.0.0.1:8009; never expose it publicly). {@code GET /health};
 * {@code GET /stats}: this hub's connections and subscriptions per pluginId, and each plugin's own subscription state
 * across all hubs, so that operators and tests can see that nothing leaked. Config: the {@code admin} section
 * ({@code host}, {@code port}, {@code statsTimeoutMs}, {@code benchTrigger}: serve {@code POST /bench/burst}, off by
 * default).
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(AdminVerticle.class);

  private PluginDirectory directory;
  private HttpServer server;
  private long statsTimeoutMs;

  @Override
  public Future<?> start() {
    JsonObject config = config();
    statsTimeoutMs = config.getLong("statsTimeoutMs", 2_000L);
    directory = new PluginDirectory(vertx, Set.of(), pluginId -> { });
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/stats").handler(this::stats);
    if (config.getBoolean("benchTrigger", false)) {
      router.post("/bench/burst").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::burst);
      log.warn("benchmark trigger enabled on the admin port: never in production");
    }
    server = vertx.createHttpServer().requestHandler(router);
    String host = config.getString("host", "127.0.0.1");
    return directory.start()
      .compose(v -> server.listen(config.getInteger("port", 8009), host))
      .onSuccess(s -> log.info("admin listening host={} port={}", host, s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server.close().eventually(() -> directory.stop());
  }

  private void stats(RoutingContext ctx) {
    Set<String> pluginIds = new TreeSet<>(directory.knownPluginIds());
    HubStats hub = HubStats.of(vertx);
    pluginIds.addAll(hub.pluginIds());
    JsonObject plugins = new JsonObject();
    List<Future<?>> answers = new ArrayList<>();
    for (String pluginId : pluginIds) {
      answers.add(pluginStats(pluginId)
        .onSuccess(stats -> plugins.put(pluginId, stats.toJson()))
        .onFailure(failure -> plugins.put(pluginId, new JsonObject().put("error", "unavailable"))));
    }
    Future.join(answers).onComplete(done -> ctx.json(new JsonObject()
      .put("nodeId", NodeIds.of(vertx))
      .put("hub", hub.toJson())
      .put("plugins", plugins)));
  }

  /** {@code POST /bench/burst {pluginId, rate, durationMs}}: forwards a {@link BurstRequest} to that plugin. */
  private void burst(RoutingContext ctx) {
    JsonObject body;
    BurstRequest request;
    try {
      body = ctx.body().asJsonObject();
      request = BurstRequest.fromJson(body);
    } catch (RuntimeException e) {
      ctx.response().setStatusCode(400).end("expected {pluginId, rate, durationMs}");
      return;
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(statsTimeoutMs).addHeader(BusAddresses.ACTION_HEADER, Action.BURST.wireName());
    vertx.eventBus().<JsonObject>request(BusAddresses.plugin(body.getString("pluginId", "fake")), request.toJson(), options)
      .onSuccess(reply -> ctx.json(reply.body()))
      .onFailure(failure -> ctx.response().setStatusCode(502).end("plugin did not answer"));
  }

  private Future<PluginStats> pluginStats(String pluginId) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(statsTimeoutMs).addHeader(BusAddresses.ACTION_HEADER, Action.STATS.wireName());
    return vertx.eventBus().<JsonObject>request(BusAddresses.plugin(pluginId), new JsonObject(), options)
      .map(message -> PluginStats.fromJson(message.body()));
  }
}
