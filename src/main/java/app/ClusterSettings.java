package app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The {@code cluster} config section, with its defaults.
 *
 * @param name            cluster name: JVMs join only a cluster of the same name, so two deployments never merge
 * @param host            interface Hazelcast and the event bus bind to (loopback by default: never expose these ports)
 * @param port            first Hazelcast port to try
 * @param portCount       how many ports from {@code port} a member may take
 * @param members         where to look for other members ({@code host} or {@code host:port})
 * @param eventBusPort    event-bus TCP port (0: any free port)
 * @param heartbeatSeconds      Hazelcast heartbeat interval
 * @param maxNoHeartbeatSeconds a silent member is dropped after this long (a killed one is seen at once)
 * @param mergeDelaySeconds     how often the cluster looks for a partition to merge back (a link cut and restored);
 *                              Hazelcast's own default is 300 s for the first look, then 120 s
 * @param tls             event-bus TLS with mutual authentication, or null for plain TCP
 */
record ClusterSettings(String name, String host, int port, int portCount, List<String> members, int eventBusPort,
                       int heartbeatSeconds, int maxNoHeartbeatSeconds, int mergeDelaySeconds, Tls tls) {

  /**
   * PEM files of the {@code cluster.tls} section: this member's certificate and key, and the certificate(s) a peer
   * must present. A JVM without a trusted certificate can neither send to nor receive from the others.
   */
  record Tls(String certPath, String keyPath, List<String> trustedCertPaths) {

    static Tls fromJson(JsonObject json) {
      if (json == null) {
        return null;
      }
      return new Tls(json.getString("certPath"), json.getString("keyPath"),
        json.getJsonArray("trustedCertPaths", new JsonArray()).stream().map(String::valueOf).toList());
    }
  }

  static ClusterSettings fromJson(JsonObject json) {
    JsonArray members = json.getJsonArray("members", new JsonArray().add("127.0.0.1"));
    return new ClusterSettings(
      json.getString("name", "change-server"),
      json.getString("host", "127.0.0.1"),
      json.getInteger("port", 5701),
      json.getInteger("portCount", 20),
      members.stream().map(String::valueOf).toList(),
      json.getInteger("eventBusPort", 0),
      json.getInteger("heartbeatSeconds", 1),
      json.getInteger("maxNoHeartbeatSeconds", 5),
      json.getInteger("mergeDelaySeconds", 10),
      Tls.fromJson(json.getJsonObject("tls")));
  }
}
