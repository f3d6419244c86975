package ops;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testkit.WsTestClient;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static testkit.PrometheusText.has;
import static testkit.PrometheusText.sample;

/** {@code /metrics} names and values after a known sequence of calls, and {@code /ready} as the plugin goes and comes. */
class MetricsAndHealthTest {

  private MeteredHub hub;

  @BeforeEach
  void start() {
    hub = MeteredHub.start();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void metricsCountConnectionsSubscriptionsEventsAndBusRequests() {
    WsTestClient alice = hub.connect();
    WsTestClient bob = hub.connect();
    assertThat(alice.call(subscribe(0, "[\"fake\",\"a1\",\"100\"],[\"fake\",\"a2\",\"100\"]"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,1],\"id\":0}");
    assertThat(bob.call(subscribe(0, "[\"fake\",\"b1\"]"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");
    // The fake plugin sends one update per newly watched address.
    alice.next(Duration.ofSeconds(10));
    alice.next(Duration.ofSeconds(10));
    bob.next(Duration.ofSeconds(10));
    assertThat(alice.call("{\"jsonrpc\":\"2.0\",\"method\":\"unsubscribe\",\"params\":[[\"fake\",\"a2\"]],\"id\":1}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1}");

    HttpResponse<String> response = hub.get("metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    String metrics = response.body();
    assertThat(sample(metrics, "change_connection_count")).isEqualTo(2);
    assertThat(sample(metrics, "change_subscription_count{pluginId=\"fake\"}")).isEqualTo(2);
    assertThat(sample(metrics, "change_event_count_total{pluginId=\"fake\"}")).isEqualTo(3);
    assertThat(sample(metrics, "change_move_count_total{pluginId=\"fake\"}")).isEqualTo(0);
    assertThat(sample(metrics, "change_move_update_count_total{pluginId=\"fake\"}")).isEqualTo(0);
    assertThat(sample(metrics, "change_plugin_instance_count{pluginId=\"fake\",state=\"up\"}")).isEqualTo(1);
    assertThat(sample(metrics, "change_plugin_instance_count{pluginId=\"fake\",state=\"draining\"}")).isEqualTo(0);
    assertThat(sample(metrics, "change_bus_request_seconds_count{action=\"subscribe\",outcome=\"ok\",pluginId=\"fake\"}")).isEqualTo(2);
    assertThat(sample(metrics, "change_bus_request_seconds_count{action=\"unsubscribe\",outcome=\"ok\",pluginId=\"fake\"}")).isEqualTo(1);
    // The plugin's own view (same JVM here), and what Vert.x and the JVM binders contribute.
    assertThat(sample(metrics, "change_plugin_subscription_count{pluginId=\"fake\"}")).isEqualTo(2);
    assertThat(sample(metrics, "change_plugin_watched_address_count{pluginId=\"fake\"}")).isEqualTo(2);
    assertThat(sample(metrics, "change_plugin_connection_count{pluginId=\"fake\"}")).isEqualTo(2);
    assertThat(sample(metrics, "change_plugin_event_count_total{pluginId=\"fake\"}")).isEqualTo(3);
    // The fake chain has no upstream: no chain series for it (an EVM or Blockbook chain has them).
    assertThat(has(metrics, "change_chain_head_height")).isFalse();
    assertThat(has(metrics, "change_upstream_up")).isFalse();
    assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_gc_", "vertx_http_server_active_ws_connections");
    // No series per socket: event-bus meters carry no address label.
    assertThat(metrics).doesNotContain("changeserver.connection.");

    JsonObject stats = hub.stats();
    assertThat(stats.getJsonObject("hub").getInteger("connections")).isEqualTo(2);
    assertThat(stats.getJsonObject("hub").getJsonObject("events").getLong("fake")).isEqualTo(3);
    assertThat(stats.getJsonObject("plugins").getJsonObject("fake").containsKey("upstreamUp")).isFalse();
    bob.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> sample(hub.get("metrics").body(), "change_connection_count") == 1);
  }

  @Test
  void readyFollowsThePluginAndSaysWhatIsMissing() {
    HttpResponse<String> health = hub.get("health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.get("ready").statusCode() == 200);
    assertThat(new JsonObject(hub.get("ready").body())).isEqualTo(new JsonObject("{\"status\":\"READY\",\"missing\":{},\"degraded\":[]}"));

    hub.stopPlugin();

    HttpResponse<String> notReady = hub.get("ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(notReady.body())).isEqualTo(new JsonObject("{\"status\":\"NOT_READY\",\"missing\":{\"fake\":\"not announced\"},\"degraded\":[]}"));
    assertThat(hub.stats().getJsonObject("plugins").getJsonObject("fake").getString("state")).isEqualTo("down");

    hub.startPlugin();
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.get("ready").statusCode() == 200);
  }

  private static String subscribe(int id, String tuples) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[" + tuples + "],\"id\":" + id + "}";
  }
}
