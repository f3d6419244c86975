package testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a hub's admin endpoint ({@code /stats}, {@code /ready}) from tests. */
public final class AdminClient {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final String host;
  private final int port;

  public AdminClient(int port) {
    this("127.0.0.1", port);
  }

  public AdminClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The instances of a pluginId as /stats shows them: {@code [{instanceId, nodeId, host, state, subscriptions, …}]}. */
  public JsonArray instances(String pluginId) {
    JsonObject plugin = stats().getJsonObject("plugins").getJsonObject(pluginId);
    return plugin == null ? new JsonArray() : plugin.getJsonArray("instances", new JsonArray());
  }

  /** Subscriptions per instance of a pluginId that is up, as /stats shows them (-1 for one that did not answer). */
  public List<Integer> instanceSubscriptions(String pluginId) {
    List<Integer> counts = new ArrayList<>();
    instances(pluginId).forEach(instance -> {
      JsonObject entry = (JsonObject) instance;
      if ("up".equals(entry.getString("state"))) {
        counts.add(entry.getInteger("subscriptions", -1));
      }
    });
    return counts;
  }

  /**
   * Activity on every address every instance of the pluginId watches, once each, through the benchmark trigger
   * ({@code admin.benchTrigger} must be on); returns how many updates the instances scheduled.
   */
  public long activityOnEveryAddress(String pluginId) {
    try {
      String body = new JsonObject().put("pluginId", pluginId).put("durationMs", 1_000).put("onceEach", true).encode();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/bench/burst")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("/bench/burst answered " + response.statusCode() + ": " + response.body());
      }
      return new JsonObject(response.body()).getLong("scheduled");
    } catch (IOException e) {
      throw new IllegalStateException("admin endpoint unreachable on " + host + ":" + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public JsonObject stats() {
    HttpResponse<String> response = get("/stats");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("/stats answered " + response.statusCode());
    }
    return new JsonObject(response.body());
  }

  /** The status code of {@code /ready}: 200 when ready, 503 when something is missing. */
  public int ready() {
    return get("/ready").statusCode();
  }

  /** What {@code /ready} says is missing, by pluginId (or {@code cluster}); empty when ready. */
  public JsonObject missing() {
    return new JsonObject(get("/ready").body()).getJsonObject("missing");
  }

  /** The pluginIds {@code /ready} lists as degraded (upstream down), which do not make it 503. */
  public JsonArray degraded() {
    return new JsonObject(get("/ready").body()).getJsonArray("degraded");
  }

  /** The plugin-side subscription count of a pluginId (across all hubs), or -1 if the plugin did not answer. */
  public int pluginSubscriptions(String pluginId) {
    JsonObject plugin = stats().getJsonObject("plugins").getJsonObject(pluginId);
    return plugin == null || !plugin.containsKey("subscriptions") ? -1 : plugin.getInteger("subscriptions");
  }

  /** The subscriptions this hub's sockets hold for a pluginId. */
  public long hubSubscriptions(String pluginId) {
    return stats().getJsonObject("hub").getJsonObject("subscriptions").getLong(pluginId, 0L);
  }

  private HttpResponse<String> get(String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(Duration.ofSeconds(10)).build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("admin endpoint unreachable on " + host + ":" + port, e);
    }
  }
}
