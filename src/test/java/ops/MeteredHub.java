package ops;

import hub.AdminVerticle;
import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import plugins.fake.FakePluginVerticle;
import testkit.FreePorts;
import testkit.InlineHub;
import testkit.WsTestClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Vert.x instance with metrics as the launcher builds it, running the hub, the fake plugin (updates after 300 ms) and
 * the admin endpoint on free ports; real WebSocket clients and plain HTTP reads of the admin endpoint.
 */
public final class MeteredHub implements AutoCloseable {

  private final Vertx vertx;
  private final int hubPort;
  private final int adminPort;
  private final List<WsTestClient> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private String pluginDeployment;

  private MeteredHub(Vertx vertx, int hubPort, int adminPort) {
    this.vertx = vertx;
    this.hubPort = hubPort;
    this.adminPort = adminPort;
  }

  public static MeteredHub start() {
    return start(new JsonObject());
  }

  /** With {@code admin} merged into the admin endpoint's config (e.g. {@code expectedInstances}, {@code historyIntervalMs}). */
  public static MeteredHub start(JsonObject admin) {
    Metrics metrics = new Metrics();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics.vertxOptions()))
      .withMetrics(metrics.vertxMetricsFactory()).build();
    metrics.attachTo(vertx);
    MeteredHub hub = new MeteredHub(vertx, FreePorts.next(), FreePorts.next());
    JsonArray known = new JsonArray().add("fake");
    hub.startPlugin();
    InlineHub.join(vertx.deployVerticle(new HubVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("port", hub.hubPort).put("knownPluginIds", known))));
    InlineHub.join(vertx.deployVerticle(new AdminVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("port", hub.adminPort).put("knownPluginIds", known).mergeIn(admin))));
    return hub;
  }

  public void startPlugin() {
    pluginDeployment = InlineHub.join(vertx.deployVerticle(new FakePluginVerticle(),
      new DeploymentOptions().setConfig(new JsonObject().put("updateDelayMs", 300))));
  }

  public void stopPlugin() {
    InlineHub.join(vertx.undeploy(pluginDeployment));
  }

  public WsTestClient connect() {
    WsTestClient client = WsTestClient.connect(vertx, hubPort);
    clients.add(client);
    return client;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int hubPort() {
    return hubPort;
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + adminPort + "/";
  }

  /** Status code and body of a GET on the admin port. */
  public HttpResponse<String> get(String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl() + path)).timeout(Duration.ofSeconds(10)).build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET /" + path + " failed", e);
    }
  }

  public JsonObject stats() {
    return new JsonObject(get("stats").body());
  }

  @Override
  public void close() {
    clients.forEach(WsTestClient::close);
    InlineHub.join(vertx.close());
  }
}
