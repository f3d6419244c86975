package testkit;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a hub's admin endpoint ({@code /stats}, {@code /ready}) from tests. */
public final class AdminClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  public AdminClient(int port) {
    this.port = port;
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
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("admin endpoint unreachable on port " + port, e);
    }
  }
}
