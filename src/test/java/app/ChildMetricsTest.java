package app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which metrics port each child JVM of role all gets: a fixed order from a base, off with 0, never the hub's ports. */
class ChildMetricsTest {

  private static final JsonObject EVM = new JsonObject().put("chains", new JsonObject()
    .put("polygon", new JsonObject().put("urls", new JsonArray().add("http://127.0.0.1:1")))
    .put("ethereum", new JsonObject().put("urls", new JsonArray().add("http://127.0.0.1:2"))));

  @Test
  void pluginsInCatalogOrderThenChainWorkersByPluginIdFromAdminPortPlusOne() {
    JsonObject config = new JsonObject().put("plugins", new JsonObject().put("evmRpc", EVM));
    List<ChildMetrics.Target> targets = ChildMetrics.plan(config, List.of("fake", "blockbook", "evmRpc"));
    assertThat(targets).extracting(ChildMetrics.Target::name).containsExactly("fake", "blockbook", "evmRpc", "ethereum", "polygon");
    assertThat(targets).extracting(ChildMetrics.Target::port).containsExactly(8010, 8011, 8012, 8013, 8014);
    assertThat(targets.get(3).role()).isEqualTo("chainworker");
    assertThat(targets.get(1).pluginIds()).contains("bitcoin", "litecoin");
    assertThat(targets.get(0).url()).isEqualTo("http://127.0.0.1:8010/metrics");
    assertThat(ChildMetrics.chainWorkerMetrics(targets)).isEqualTo(new JsonObject()
      .put("host", "127.0.0.1").put("optional", true).put("ports", new JsonObject().put("ethereum", 8013).put("polygon", 8014)));
  }

  @Test
  void severalInstancesOfAPluginOrOfAChainWorkerEachGetTheirOwnPort() {
    JsonObject config = new JsonObject().put("plugins", new JsonObject()
      .put("fake", new JsonObject().put("instances", 2))
      .put("evmRpc", EVM.copy().put("instances", 2)));
    List<ChildMetrics.Target> targets = ChildMetrics.plan(config, List.of("fake", "evmRpc"));
    assertThat(targets).extracting(ChildMetrics.Target::name)
      .containsExactly("fake-1", "fake-2", "evmRpc", "ethereum-1", "ethereum-2", "polygon-1", "polygon-2");
    assertThat(targets).extracting(ChildMetrics.Target::port).containsExactly(8010, 8011, 8012, 8013, 8014, 8015, 8016);
    assertThat(targets.get(1).pluginIds()).containsExactly("fake");
    assertThat(ChildMetrics.chainWorkerMetrics(targets).getJsonObject("ports").fieldNames())
      .containsExactlyInAnyOrder("ethereum-1", "ethereum-2", "polygon-1", "polygon-2");
  }

  @Test
  void aConfiguredBaseAndHostAreUsedAndInlineChainWorkersGetNoPort() {
    JsonObject config = new JsonObject()
      .put("admin", new JsonObject().put("host", "0.0.0.0").put("port", 9000).put("childMetricsPortBase", 9100))
      .put("plugins", new JsonObject().put("evmRpc", EVM.copy().put("inline", true)));
    List<ChildMetrics.Target> targets = ChildMetrics.plan(config, List.of("fake", "evmRpc"));
    assertThat(targets).extracting(ChildMetrics.Target::port).containsExactly(9100, 9101);
    assertThat(targets.get(0).metricsConfig()).isEqualTo(new JsonObject().put("host", "0.0.0.0").put("port", 9100).put("optional", true));
    assertThat(targets.get(0).url()).isEqualTo("http://127.0.0.1:9100/metrics");
    assertThat(ChildMetrics.chainWorkerMetrics(targets)).isNull();
  }

  @Test
  void zeroTurnsThemOffAndSoDoesARandomAdminPort() {
    assertThat(ChildMetrics.plan(new JsonObject().put("admin", new JsonObject().put("childMetricsPortBase", 0)), List.of("fake"))).isEmpty();
    assertThat(ChildMetrics.plan(new JsonObject().put("admin", new JsonObject().put("port", 0)), List.of("fake"))).isEmpty();
  }

  @Test
  void aPortOfTheHubIsRefused() {
    JsonObject config = new JsonObject().put("hub", new JsonObject().put("port", 8011));
    assertThatThrownBy(() -> ChildMetrics.plan(config, List.of("fake", "blockbook")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockbook port 8011");
  }
}
