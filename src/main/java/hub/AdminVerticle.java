package hub;

import api.BurstRequest;
import api.InstanceState;
import api.NodeIds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import api.PluginStats;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import hub.routing.BusPluginClient;
import hub.routing.PluginClient;
import hub.routing.PluginDirectory;
import hub.routing.PluginInstance;
import hub.routing.PluginView;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import ops.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP endpoint of a hub JVM (default 127.0.0.1:8009; never expose it publicly):
 * <ul>
 *   <li>{@code GET /health}: the JVM is alive.</li>
 *   <li>{@code GET /ready}: 200 when the hub is not draining, the cluster is joined (if clustered) and every known
 *   pluginId has an instance up that answers a stats request; else 503. The body says what is missing, and lists the
 *   pluginIds whose upstream is down under {@code degraded} (which does not change the status).</li>
 *   <li>{@code GET /stats/history}: the last minutes of this hub, sampled every few seconds (see {@link RecentSamples}).</li>
 *   <li>{@code GET /stats}: this hub's counters, each plugin's own subscription state across all hubs, the cluster's
 *   members with their roles as this hub knows them, and {@code scrapeTargets}: this JVM's /metrics and each
 *   supervised child JVM's.</li>
 *   <li>{@code GET /metrics}: this JVM's meters, Prometheus text.</li>
 *   <li>{@code GET /}: a status page that polls {@code /stats}.</li>
 * </ul>
 * Config: the {@code admin} section ({@code host}, {@code port}, {@code statsTimeoutMs}, {@code knownPluginIds} (set
 * by the launcher from the hub's), {@code childMetrics} (set by the launcher: {@code [{name, role, pluginIds, url}]} of
 * the child JVMs' /metrics), {@code expectedInstances} (set by the launcher from the hub's), {@code historyIntervalMs},
 * {@code historySamples}, {@code benchTrigger}: serve {@code POST /bench/burst}, off by default).
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(AdminVerticle.class);
  private static final String STATUS_PAGE = "status/index.html";

  private PluginDirectory directory;
  private PluginClient plugins;
  private HttpServer server;
  private long statsTimeoutMs;
  private Buffer statusPage;
  /** This JVM's /metrics, then each child JVM's: what a Prometheus must scrape for the whole topology. */
  private final JsonArray scrapeTargets = new JsonArray();
  private RecentSamples history;
  private long historyTimer = -1;
  private boolean sampling;

  @Override
  public Future<?> start() {
    JsonObject config = config();
    statsTimeoutMs = config.getLong("statsTimeoutMs", 2_000L);
    Set<String> configured = new HashSet<>();
    config.getJsonArray("knownPluginIds", new JsonArray()).forEach(pluginId -> configured.add(String.valueOf(pluginId)));
    Set<String> metered = new HashSet<>();
    directory = new PluginDirectory(vertx, configured, 0, 0, pluginId -> {
      if (metered.add(pluginId)) {
        meterInstances(pluginId);
      }
    });
    plugins = new BusPluginClient(vertx, statsTimeoutMs, 1);
    meterExpectedInstances(config.getJsonObject("expectedInstances", new JsonObject()));
    history = new RecentSamples(config.getInteger("historySamples", 120), config.getLong("historyIntervalMs", 5_000L));
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/stats").handler(this::stats);
    router.get("/stats/history").handler(ctx -> ctx.json(history.toJson()));
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", Metrics.PROMETHEUS_TEXT).end(Metrics.of(vertx).scrape()));
    router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(statusPage));
    if (config.getBoolean("benchTrigger", false)) {
      router.post("/bench/burst").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::burst);
      log.warn("benchmark trigger enabled on the admin port: never in production");
    }
    // HTTP/1.1 only: Java's HttpClient offers an h2c upgrade on every plain request, and an upgraded exchange with it
    // was seen to hang in tests; Prometheus and browsers need nothing more.
    server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(router);
    String host = config.getString("host", "127.0.0.1");
    return vertx.fileSystem().readFile(STATUS_PAGE)
      .onSuccess(page -> statusPage = page)
      .compose(page -> directory.start())
      .compose(v -> server.listen(config.getInteger("port", 8009), host))
      .onSuccess(s -> {
        scrapeTargets.add(new JsonObject().put("name", "hub").put("role", "hub").put("pluginIds", new JsonArray())
          .put("url", "http://" + reachableHost(host) + ":" + s.actualPort() + "/metrics"));
        config.getJsonArray("childMetrics", new JsonArray()).forEach(scrapeTargets::add);
      })
      .onSuccess(s -> startHistory())
      .onSuccess(s -> log.atInfo().addKeyValue("host", host).addKeyValue("port", s.actualPort()).log("admin listening"));
  }

  /**
   * {@code change_plugin_instance_expected{pluginId}}: how many instances the operator means to run of each pluginId
   * ({@code expectedInstances}, set by the launcher from {@code hub.expectedInstances}), so that an alert can compare
   * {@code change_plugin_instance_count{state="up"}} with it. No series for a pluginId without an expectation.
   */
  private void meterExpectedInstances(JsonObject expected) {
    expected.forEach(entry -> {
      if (!(entry.getValue() instanceof Number count) || count.doubleValue() < 0 || count.doubleValue() != count.intValue()) {
        throw new IllegalArgumentException("hub.expectedInstances." + entry.getKey() + " must be a whole number >= 0, got " + entry.getValue());
      }
      int instances = count.intValue();
      Gauge.builder("change.plugin.instance.expected", () -> instances).tag("pluginId", entry.getKey())
        .description("Plugin instances the deployment is configured to run (hub.expectedInstances)").register(Metrics.of(vertx).registry());
    });
  }

  /**
   * Samples this hub every {@code historyIntervalMs} (5 s) into a ring of {@code historySamples} (120: ten minutes),
   * served at {@code GET /stats/history} for the status page's charts. Each sample asks the plugins for their states
   * (chain lag), like one {@code /stats}.
   */
  private void startHistory() {
    historyTimer = vertx.setPeriodic(history.intervalMs(), id -> {
      // One sample at a time, read when the plugins have answered: samples stay in time order however slow they are.
      if (sampling) {
        return;
      }
      sampling = true;
      pluginStates(new TreeSet<>(directory.knownPluginIds())).onComplete(states -> {
        sampling = false;
        if (states.succeeded()) {
          history.add(System.currentTimeMillis(), HubStats.of(vertx).toJson(), states.result(), busTotals());
        }
      });
    });
  }

  /** Every {@code change_bus_request} timer of this JVM added up. */
  private RecentSamples.BusTotals busTotals() {
    long count = 0;
    double seconds = 0;
    for (Timer timer : Metrics.of(vertx).registry().find("change.bus.request").timers()) {
      count += timer.count();
      seconds += timer.totalTime(TimeUnit.SECONDS);
    }
    return new RecentSamples.BusTotals(count, seconds);
  }

  /** {@code change_plugin_instance_count{pluginId,state}}: the instances this hub sees, up and draining. */
  private void meterInstances(String pluginId) {
    for (InstanceState state : List.of(InstanceState.UP, InstanceState.DRAINING)) {
      Gauge.builder("change.plugin.instance.count", () -> directory.view(pluginId).all().stream().filter(i -> i.state() == state).count())
        .tags("pluginId", pluginId, "state", state.wireName())
        .description("Plugin instances this hub sees, by state").register(Metrics.of(vertx).registry());
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(historyTimer);
    return server.close().eventually(() -> directory.stop());
  }

  private void stats(RoutingContext ctx) {
    HubStats hub = HubStats.of(vertx);
    Set<String> pluginIds = new TreeSet<>(directory.knownPluginIds());
    pluginIds.addAll(hub.pluginIds());
    pluginStates(pluginIds).onSuccess(plugins -> ctx.json(new JsonObject()
      .put("nodeId", NodeIds.of(vertx))
      .put("hub", hub.toJson())
      .put("plugins", plugins)
      .put("cluster", cluster(plugins))
      .put("scrapeTargets", scrapeTargets.copy())));
  }

  /** Where this machine reaches a server bound to {@code host}: loopback for a wildcard, IPv6 in brackets. */
  public static String reachableHost(String host) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * Ready means "this hub can serve": not draining, the cluster joined (if clustered), and every pluginId the
   * deployment serves (the known ones, not those clients merely asked for) has an instance up that answers. A chain
   * whose upstream is down is listed under {@code degraded} without changing the status: one provider's outage must not
   * pull every hub out of its load balancer and cut all chains for all wallets.
   */
  private void ready(RoutingContext ctx) {
    ClusterManager clusterManager = ((VertxInternal) vertx).clusterManager();
    boolean clusterJoined = clusterManager == null || clusterManager.isActive();
    pluginStates(new TreeSet<>(directory.knownPluginIds())).onSuccess(plugins -> {
      JsonObject missing = new JsonObject();
      JsonArray degraded = new JsonArray();
      if (HubDrain.of(vertx).draining()) {
        missing.put("hub", "draining");
      }
      if (!clusterJoined) {
        missing.put("cluster", "not joined");
      }
      plugins.forEach(entry -> {
        JsonObject plugin = (JsonObject) entry.getValue();
        if (!plugin.containsKey("nodeId")) {
          missing.put(entry.getKey(), "not announced");
        } else if (!"up".equals(plugin.getString("state"))) {
          missing.put(entry.getKey(), "not answering");
        } else if (!plugin.getBoolean("upstreamUp", true)) {
          // Absent for a chain without an upstream (the fake). Its subscribes answer 2 until the upstream is back.
          degraded.add(entry.getKey());
        }
      });
      boolean ready = missing.isEmpty();
      ctx.response().setStatusCode(ready ? 200 : 503);
      ctx.json(new JsonObject().put("status", ready ? "READY" : "NOT_READY").put("missing", missing).put("degraded", degraded));
    });
  }

  /**
   * Each pluginId's own stats, asked of every instance at once: the instances' counters added up, {@code state}
   * {@code up} when an instance that is up answered (else {@code down}, with {@code error} kept for older readers),
   * {@code nodeId} of one of them, and {@code instances}: each instance's nodeId, host, state and counters
   * ({@code watchedAddresses} are the addresses it owns).
   */
  private Future<JsonObject> pluginStates(Set<String> pluginIds) {
    JsonObject states = new JsonObject();
    List<Future<?>> answers = new ArrayList<>();
    for (String pluginId : pluginIds) {
      answers.add(pluginState(pluginId).onSuccess(state -> states.put(pluginId, state)));
    }
    return Future.join(answers).transform(done -> Future.succeededFuture(states));
  }

  private Future<JsonObject> pluginState(String pluginId) {
    PluginView view = directory.view(pluginId);
    List<Future<PluginStats>> answers = new ArrayList<>();
    JsonArray instances = new JsonArray();
    for (PluginInstance instance : view.all()) {
      JsonObject entry = new JsonObject().put("instanceId", instance.instanceId()).put("nodeId", instance.nodeId())
        .put("host", instance.host()).put("state", instance.state().wireName());
      instances.add(entry);
      answers.add(plugins.stats(instance, pluginId).onSuccess(stats -> entry.mergeIn(stats.toJson().put("state", instance.state().wireName())))
        .onFailure(failure -> entry.put("error", "unavailable")));
    }
    return Future.join(answers).transform(done -> {
      PluginStats total = null;
      boolean upAnswered = false;
      for (int i = 0; i < answers.size(); i++) {
        Future<PluginStats> answer = answers.get(i);
        if (answer.succeeded()) {
          total = total == null ? answer.result() : total.plus(answer.result());
          upAnswered |= view.all().get(i).isUp();
        }
      }
      JsonObject state = total == null ? new JsonObject().put("error", "unavailable") : total.toJson();
      state.put("state", upAnswered ? "up" : "down").put("instances", instances);
      if (!view.all().isEmpty()) {
        state.put("nodeId", view.all().get(0).nodeId());
      }
      return Future.succeededFuture(state);
    });
  }

  /**
   * {@code {clustered, members: [{nodeId, roles, pluginIds}]}}: this JVM is the hub; a member that announced pluginIds
   * runs a plugin or chain worker; any other member (another hub, a supervisor) is just a member to this hub.
   */
  private JsonObject cluster(JsonObject plugins) {
    String self = NodeIds.of(vertx);
    Map<String, JsonArray> pluginIdsByNode = new TreeMap<>();
    plugins.forEach(entry -> ((JsonObject) entry.getValue()).getJsonArray("instances", new JsonArray()).forEach(instance -> {
      String nodeId = ((JsonObject) instance).getString("nodeId");
      JsonArray pluginIds = pluginIdsByNode.computeIfAbsent(nodeId, n -> new JsonArray());
      if (!pluginIds.contains(entry.getKey())) {
        pluginIds.add(entry.getKey());
      }
    }));
    ClusterManager clusterManager = ((VertxInternal) vertx).clusterManager();
    List<String> nodes = clusterManager == null ? List.of(self) : clusterManager.getNodes();
    JsonArray members = new JsonArray();
    for (String nodeId : new TreeSet<>(nodes)) {
      JsonArray pluginIds = pluginIdsByNode.getOrDefault(nodeId, new JsonArray());
      JsonArray roles = new JsonArray();
      if (nodeId.equals(self)) {
        roles.add("hub");
      }
      if (!pluginIds.isEmpty()) {
        roles.add("plugin");
      }
      if (roles.isEmpty()) {
        roles.add("member");
      }
      members.add(new JsonObject().put("nodeId", nodeId).put("roles", roles).put("pluginIds", pluginIds));
    }
    return new JsonObject().put("clustered", clusterManager != null).put("members", members);
  }

  /** {@code POST /bench/burst {pluginId, rate, durationMs}}: forwards a {@link BurstRequest} to every instance of that plugin. */
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
    String pluginId = body.getString("pluginId", "fake");
    List<Future<Long>> scheduled = directory.view(pluginId).up().stream().map(instance -> plugins.burst(instance, pluginId, request)).toList();
    if (scheduled.isEmpty()) {
      ctx.response().setStatusCode(502).end("no instance of " + pluginId + " is up");
      return;
    }
    Future.all(scheduled)
      .onSuccess(all -> ctx.json(BurstRequest.scheduledReply(scheduled.stream().mapToLong(Future::result).sum())))
      .onFailure(failure -> ctx.response().setStatusCode(502).end("plugin did not answer"));
  }
}
