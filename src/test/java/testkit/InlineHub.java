package testkit;

import api.PluginStats;
import hub.HubStats;
import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.TrustOptions;
import plugins.fake.FakePluginVerticle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A hub and the fake plugin deployed in one Vert.x instance on a free port (the {@code inline} topology), with the
 * probes tests need: connect real WebSocket clients, read the plugin's and the hub's counters.
 */
public final class InlineHub implements AutoCloseable {

  private final Vertx vertx;
  private final int port;
  private final List<WsTestClient> clients = new ArrayList<>();
  private String plugin;

  private InlineHub(Vertx vertx, int port, String plugin) {
    this.vertx = vertx;
    this.port = port;
    this.plugin = plugin;
  }

  /** {@code hubConfig} is the hub section; its port is chosen here. */
  public static InlineHub deploy(Vertx vertx, JsonObject hubConfig) {
    return deploy(vertx, hubConfig, 1);
  }

  /** With {@code instances} hub verticles sharing the port, as {@code hub.instances} deploys them. */
  public static InlineHub deploy(Vertx vertx, JsonObject hubConfig, int instances) {
    int port = FreePorts.next();
    String plugin = deployPluginOnly(vertx);
    // Known from the start, as role all makes it: no discovery window to wait out before answering -1 to other names.
    JsonObject config = new JsonObject().put("knownPluginIds", new io.vertx.core.json.JsonArray().add("fake")).put("discoveryMs", 0)
      .mergeIn(hubConfig).put("port", port);
    join(vertx.deployVerticle(HubVerticle::new, new DeploymentOptions().setConfig(config).setInstances(instances)));
    return new InlineHub(vertx, port, plugin);
  }

  /**
   * The fake plugin alone (updates 1 s after an address's first subscribe), for tests that talk to it over the bus or
   * restart it; returns its deployment id.
   */
  public static String deployPluginOnly(Vertx vertx) {
    return join(vertx.deployVerticle(new FakePluginVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("updateDelayMs", 1000))));
  }

  /** Stops the fake plugin (it drains, with no other instance to hand over to) and starts a fresh one. */
  public void restartPlugin() {
    join(vertx.undeploy(plugin));
    plugin = deployPluginOnly(vertx);
  }

  public int port() {
    return port;
  }

  public WsTestClient connect() {
    return connect(Map.of());
  }

  public WsTestClient connect(Map<String, String> headers) {
    WsTestClient client = WsTestClient.connect(vertx, port, headers);
    clients.add(client);
    return client;
  }

  /** Over {@code wss://}, trusting only {@code trust}; fails the test if the handshake fails. */
  public WsTestClient connectTls(TrustOptions trust) {
    WsTestClient client = WsTestClient.connectTls(vertx, port, trust);
    clients.add(client);
    return client;
  }

  /** The fake plugin's subscription state, asked over the bus as a hub would. */
  public PluginStats pluginStats() {
    return PluginProbe.total(vertx, "fake");
  }

  public HubStats hubStats() {
    return HubStats.of(vertx);
  }

  @Override
  public void close() {
    clients.forEach(WsTestClient::close);
  }

  public static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
