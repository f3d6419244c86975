package hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The status page's ring of samples: bounded, oldest dropped first, rates over the time between two samples. */
class RecentSamplesTest {

  @Test
  void ratesAreOverTheTimeSinceThePreviousSampleAndOnlyChainsWithAnUpstreamHaveALag() {
    RecentSamples samples = new RecentSamples(10, 5_000);
    JsonObject plugins = new JsonObject()
      .put("fake", new JsonObject().put("state", "up"))
      .put("ethereum", new JsonObject().put("state", "up").put("lagBlocks", 2));
    samples.add(10_000, hub(3, 100, "fake", 7), plugins, new RecentSamples.BusTotals(4, 0.010));
    samples.add(15_000, hub(2, 150, "fake", 5), plugins, new RecentSamples.BusTotals(14, 0.060));
    samples.add(20_000, hub(2, 150, "fake", 5), plugins, new RecentSamples.BusTotals(14, 0.060));

    JsonObject json = samples.toJson();
    assertThat(json.getLong("intervalMs")).isEqualTo(5_000);
    assertThat(json.getInteger("capacity")).isEqualTo(10);
    JsonArray all = json.getJsonArray("samples");
    assertThat(all.getJsonObject(0)).isEqualTo(new JsonObject("{\"t\":10000,\"connections\":3,\"subscriptions\":{\"fake\":7},"
      + "\"updatesPerSecond\":null,\"busLatencyMs\":null,\"lagBlocks\":{\"ethereum\":2}}"));
    // 50 events in 5 s; 10 requests took 50 ms in all.
    assertThat(all.getJsonObject(1).getDouble("updatesPerSecond")).isEqualTo(10.0);
    assertThat(all.getJsonObject(1).getDouble("busLatencyMs")).isCloseTo(5.0, within(1e-9));
    assertThat(all.getJsonObject(1).getJsonObject("subscriptions")).isEqualTo(new JsonObject().put("fake", 5));
    // Nothing happened: no updates, and no request to have a latency.
    assertThat(all.getJsonObject(2).getDouble("updatesPerSecond")).isEqualTo(0.0);
    assertThat(all.getJsonObject(2).getValue("busLatencyMs")).isNull();
  }

  @Test
  void theRingKeepsTheNewestSamples() {
    RecentSamples samples = new RecentSamples(3, 1_000);
    for (int i = 1; i <= 5; i++) {
      samples.add(i * 1_000L, hub(i, 0, "fake", 0), new JsonObject(), new RecentSamples.BusTotals(0, 0));
    }
    JsonArray kept = samples.toJson().getJsonArray("samples");
    assertThat(kept.stream().map(sample -> ((JsonObject) sample).getInteger("connections"))).containsExactly(3, 4, 5);
    assertThatThrownBy(() -> new RecentSamples(1, 1_000)).isInstanceOf(IllegalArgumentException.class);
  }

  /** What {@link HubStats#toJson()} says, for one pluginId. */
  private static JsonObject hub(int connections, long events, String pluginId, long subscriptions) {
    return new JsonObject().put("connections", connections).put("subscriptions", new JsonObject().put(pluginId, subscriptions))
      .put("events", new JsonObject().put(pluginId, events));
  }
}
