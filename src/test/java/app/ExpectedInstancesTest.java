package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import testkit.FreePorts;
import testkit.InlineHub;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static testkit.PrometheusText.has;
import static testkit.PrometheusText.sample;

/**
 * {@code hub.expectedInstances} reaches the admin endpoint the launcher deploys and is exported as
 * {@code change_plugin_instance_expected}, next to the instances actually up (role all, inline: one fake instance).
 */
class ExpectedInstancesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    InlineHub.join(vertx.close());
  }

  @Test
  void theConfiguredCountIsExportedBesideTheInstancesUp() throws Exception {
    int adminPort = FreePorts.next();
    JsonObject config = new JsonObject()
      .put("topology", "inline")
      .put("hub", new JsonObject().put("port", FreePorts.next()).put("instances", 1).put("expectedInstances", new JsonObject().put("fake", 2)))
      .put("admin", new JsonObject().put("port", adminPort))
      .put("plugins", new JsonObject().put("blockbook", new JsonObject().put("enabled", false)).put("evmRpc", new JsonObject().put("enabled", false)));
    InlineHub.join(RoleDeployer.deploy(vertx, config));

    String metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
      .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(sample(metrics, "change_plugin_instance_expected{pluginId=\"fake\"}")).isEqualTo(2);
    assertThat(has(metrics, "change_plugin_instance_expected{pluginId=\"bitcoin\"}")).isFalse();
  }

  @Test
  void aCountThatIsNotAWholeNumberFailsTheStart() {
    JsonObject config = new JsonObject()
      .put("topology", "inline")
      .put("hub", new JsonObject().put("port", FreePorts.next()).put("instances", 1).put("expectedInstances", new JsonObject().put("fake", "two")))
      .put("admin", new JsonObject().put("port", FreePorts.next()))
      .put("plugins", new JsonObject().put("blockbook", new JsonObject().put("enabled", false)).put("evmRpc", new JsonObject().put("enabled", false)));
    assertThat(RoleDeployer.deploy(vertx, config).toCompletionStage().toCompletableFuture())
      .failsWithin(Duration.ofSeconds(20)).withThrowableThat().withMessageContaining("hub.expectedInstances.fake must be a whole number >= 0, got two");
  }
}
