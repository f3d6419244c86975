package testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Configs of the JVMs a cluster test starts as an operator would: a hub, and fake plugin instances. */
public final class Topologies {

  private Topologies() {
  }

  /** A cluster section: this member binds {@code host:port} and looks for the others at {@code members}. */
  public static JsonObject cluster(String name, String host, int port, List<String> members) {
    return new JsonObject().put("name", name).put("host", host).put("port", port).put("portCount", FreePorts.CLUSTER_PORT_BLOCK)
      .put("members", new JsonArray(List.copyOf(members)));
  }

  /**
   * A cluster section with no member list: this member binds {@code host:port} and finds the others by multicast on
   * {@code host}'s link ({@code multicast}: the {@code cluster.multicast} section).
   */
  public static JsonObject multicastCluster(String name, String host, int port, JsonObject multicast) {
    return new JsonObject().put("name", name).put("host", host).put("port", port).put("portCount", FreePorts.CLUSTER_PORT_BLOCK)
      .put("join", "multicast").put("multicast", multicast);
  }

  /** A hub that knows it serves {@code fake}, with its admin endpoint and the bench trigger (activity on demand). */
  public static JsonObject hub(String host, int port, int adminPort, JsonObject cluster) {
    return new JsonObject()
      .put("role", "hub")
      // Every test socket comes from one address (the test JVM's).
      .put("hub", new JsonObject().put("host", host).put("port", port).put("knownPluginIds", new JsonArray().add("fake"))
        .put("limits", new JsonObject().put("maxConnectionsPerIp", 10_000)).put("moveConcurrency", Integer.getInteger("it.moveConcurrency", 256)))
      .put("admin", new JsonObject().put("host", host).put("port", adminPort).put("benchTrigger", true))
      .put("cluster", cluster);
  }

  /** One instance of the fake plugin: one update about a second after an address is first watched. */
  public static JsonObject fakePlugin(JsonObject cluster) {
    return new JsonObject()
      .put("role", "plugin")
      .put("plugin", "fake")
      .put("plugins", new JsonObject().put("fake", new JsonObject().put("updateDelayMs", 1_000)))
      .put("cluster", cluster);
  }
}
