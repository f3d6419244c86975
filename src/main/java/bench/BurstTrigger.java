package bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the server's admin endpoint for a burst of timestamped updates ({@code POST /bench/burst}). This is the one
 * part of the tool that is specific to this server, and optional: a server without it gets the phase skipped.
 */
final class BurstTrigger {

  private BurstTrigger() {
  }

  /** How many updates the server scheduled; throws with a reason to print when there is no burst to measure. */
  static long request(LoadPlan.BurstPlan burst, String pluginId) throws IOException, InterruptedException {
    JsonObject body = new JsonObject().put("pluginId", pluginId).put("rate", burst.rate()).put("durationMs", burst.durationMs());
    HttpRequest request = HttpRequest.newBuilder(burst.admin().resolve("/bench/burst"))
      .timeout(Duration.ofSeconds(10))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
      .build();
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()
      .send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      throw new IOException("the server has no burst trigger (404: enable admin.benchTrigger)");
    }
    if (response.statusCode() != 200) {
      throw new IOException("burst trigger answered " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body()).getLong("scheduled", 0L);
  }
}
