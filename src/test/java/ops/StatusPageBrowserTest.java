package ops;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testkit.WsTestClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page in a real headless chromium (driven by playwright-core from {@code src/test/js/status-page.mjs}):
 * the numbers it shows are the ones {@code /stats} serves. Screenshot: {@code target/status-page.png}.
 */
class StatusPageBrowserTest {

  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Path PLAYWRIGHT = Path.of("node_modules", "playwright-core");

  private MeteredHub hub;

  @BeforeEach
  void start() {
    assertThat(Files.isExecutable(CHROMIUM)).as("no chromium at " + CHROMIUM + ": apt-get install chromium (.ci/run does)").isTrue();
    assertThat(Files.isDirectory(PLAYWRIGHT)).as("no " + PLAYWRIGHT + ": run npm ci (.ci/run does)").isTrue();
    // Sampled fast, so that the charts have points within a test.
    hub = MeteredHub.start(new JsonObject().put("historyIntervalMs", 250));
  }

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void thePageShowsWhatStatsServes() throws Exception {
    WsTestClient alice = hub.connect();
    WsTestClient bob = hub.connect();
    hub.connect();
    alice.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"a1\"],[\"fake\",\"a2\"],[\"nochain\",\"x\"]],\"id\":0}");
    bob.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"b1\"]],\"id\":0}");
    alice.next(Duration.ofSeconds(10));
    alice.next(Duration.ofSeconds(10));
    bob.next(Duration.ofSeconds(10));

    JsonObject result = runPage();
    assertThat(result.getJsonArray("errors")).as("page errors").isEmpty();
    JsonObject shown = result.getJsonObject("shown");
    JsonObject stats = hub.stats();
    JsonObject hubStats = stats.getJsonObject("hub");
    JsonObject fake = stats.getJsonObject("plugins").getJsonObject("fake");
    assertThat(shown.getString("error")).isEmpty();
    assertThat(shown.getString("nodeId")).isEqualTo(stats.getString("nodeId"));
    assertThat(shown.getString("connections")).isEqualTo("3").isEqualTo(String.valueOf(hubStats.getInteger("connections")));
    assertThat(shown.getString("subscriptions")).isEqualTo("3");
    assertThat(shown.getString("events")).isEqualTo("3").isEqualTo(String.valueOf(hubStats.getJsonObject("events").getLong("fake")));
    assertThat(shown.getString("updatesPerSecond")).isEqualTo("0.0");

    JsonObject fakeRow = shown.getJsonObject("plugins").getJsonObject("fake");
    assertThat(fakeRow.getString("state")).isEqualTo("up");
    assertThat(fakeRow.getString("hubSubscriptions")).isEqualTo(String.valueOf(hubStats.getJsonObject("subscriptions").getLong("fake")));
    assertThat(fakeRow.getString("subscriptions")).isEqualTo(String.valueOf(fake.getInteger("subscriptions"))).isEqualTo("3");
    assertThat(fakeRow.getString("watchedAddresses")).isEqualTo(String.valueOf(fake.getInteger("watchedAddresses")));
    assertThat(fakeRow.getString("connections")).isEqualTo(String.valueOf(fake.getInteger("connections"))).isEqualTo("2");
    assertThat(fakeRow.getString("events")).isEqualTo("3");
    // Asked for by a client, served by nobody: not listed, or any client could fill the page (and /stats) with names.
    assertThat(shown.getJsonObject("plugins").fieldNames()).containsExactly("fake");
    // One row per instance of a pluginId, with what it owns.
    JsonObject instance = fake.getJsonArray("instances").getJsonObject(0);
    JsonObject instanceRow = shown.getJsonObject("instances").getJsonObject("fake/" + instance.getString("instanceId"));
    assertThat(shown.getJsonObject("instances").fieldNames()).hasSize(1);
    assertThat(instanceRow.getString("state")).isEqualTo("up");
    assertThat(instanceRow.getString("watchedAddresses")).isEqualTo("3");
    assertThat(instanceRow.getString("subscriptions")).isEqualTo("3");
    assertThat(instanceRow.getString("moves")).isEqualTo("0");
    JsonObject member = shown.getJsonObject("members").getJsonObject(stats.getString("nodeId"));
    assertThat(member.getString("roles")).isEqualTo("hub, plugin");
    assertThat(member.getString("pluginIds")).isEqualTo("fake");
    // Inline plugins share the hub's registry: one scrape target, this admin port, as /stats lists it.
    String metricsUrl = hub.adminUrl() + "metrics";
    assertThat(stats.getJsonArray("scrapeTargets").getJsonObject(0).getString("url")).isEqualTo(metricsUrl);
    assertThat(shown.getJsonObject("scrapeTargets").fieldNames()).containsExactly(metricsUrl);
    assertThat(shown.getJsonObject("scrapeTargets").getJsonObject(metricsUrl).getString("role")).isEqualTo("hub");

    // The charts of /stats/history: lines through the samples, last values in the legends.
    JsonObject history = new JsonObject(hub.get("stats/history").body());
    assertThat(history.getLong("intervalMs")).isEqualTo(250);
    assertThat(history.getJsonArray("samples").size()).isBetween(3, history.getInteger("capacity"));
    JsonObject charts = shown.getJsonObject("charts");
    JsonObject connections = charts.getJsonObject("connections");
    assertThat(connections.getInteger("points")).isGreaterThanOrEqualTo(3);
    assertThat(connections.getJsonArray("paths")).containsExactly("connections");
    assertThat(connections.getJsonArray("legend")).containsExactly("connections 3");
    JsonObject subscriptions = charts.getJsonObject("subscriptions");
    assertThat(subscriptions.getInteger("points")).isGreaterThanOrEqualTo(3);
    assertThat(subscriptions.getJsonArray("legend")).containsExactly("fake 3");
    // Rates need two samples; bus latency needs a request completed between them (each sample asks the plugin for its state).
    assertThat(charts.getJsonObject("updates").getInteger("points")).isGreaterThanOrEqualTo(2);
    assertThat(charts.getJsonObject("updates").getJsonArray("legend")).containsExactly("updates/s 0");
    assertThat(charts.getJsonObject("bus-latency").getInteger("points")).isGreaterThanOrEqualTo(1);
    // The fake chain has no upstream, so no lag to draw.
    JsonObject lag = charts.getJsonObject("chain-lag");
    assertThat(lag.getInteger("points")).isZero();
    assertThat(lag.getJsonArray("text")).contains("no chain with an upstream");
  }

  private JsonObject runPage() throws IOException, InterruptedException {
    Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
    Path out = Files.createTempFile("status-page", ".json");
    Process node = new ProcessBuilder("node", "src/test/js/status-page.mjs", hub.adminUrl(), screenshot.toString())
      .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
      assertThat(node.exitValue()).as("node exit code").isZero();
    } finally {
      node.destroyForcibly();
    }
    assertThat(screenshot).exists();
    String text = Files.readString(out, StandardCharsets.UTF_8).trim();
    Files.delete(out);
    return new JsonObject(text.substring(text.lastIndexOf('\n') + 1));
  }
}
