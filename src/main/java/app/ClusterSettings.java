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
 * @param join            how this member finds the others ({@code cluster.join} and its mode's keys)
 * @param publicAddress   the address other machines reach this member at, when it differs from {@code host} (NAT),
 *                        or null
 * @param eventBusPort    event-bus TCP port (0: any free port)
 * @param eventBusPublicPort   the event-bus port other machines reach this member at, when a NAT maps it to another
 *                             port (0: the event bus's own port)
 * @param heartbeatSeconds      Hazelcast heartbeat interval
 * @param maxNoHeartbeatSeconds a silent member is dropped after this long (a killed one is seen at once)
 * @param mergeDelaySeconds     how often the cluster looks for a partition to merge back (a link cut and restored);
 *                              Hazelcast's own default is 300 s for the first look, then 120 s
 * @param tls             event-bus TLS with mutual authentication, or null for plain TCP
 */
record ClusterSettings(String name, String host, int port, int portCount, ClusterJoin join, PublicAddress publicAddress,
                       int eventBusPort, int eventBusPublicPort, int heartbeatSeconds, int maxNoHeartbeatSeconds, int mergeDelaySeconds, Tls tls) {

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

  /**
   * {@code cluster.publicAddress}: {@code host} or {@code host:port} (IPv4 or a name). Without a port, the one Hazelcast
   * binds is also the public one (a NAT that keeps port numbers).
   *
   * @param port the public Hazelcast port, or 0 for the bound one
   */
  record PublicAddress(String host, int port) {

    static PublicAddress parse(String text) {
      if (text == null) {
        return null;
      }
      String[] parts = text.split(":", -1);
      if (parts.length > 2 || parts[0].isBlank()) {
        throw new IllegalArgumentException("cluster.publicAddress must be \"host\" or \"host:port\" (IPv4 or a name), got \"" + text + "\"");
      }
      if (parts.length == 1) {
        return new PublicAddress(parts[0], 0);
      }
      int port;
      try {
        port = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("cluster.publicAddress port must be 1 to 65535, got \"" + text + "\"");
      }
      return new PublicAddress(parts[0], port);
    }

    /** As Hazelcast's network public address takes it. */
    String hazelcastForm() {
      return port == 0 ? host : host + ":" + port;
    }
  }

  static ClusterSettings fromJson(JsonObject json) {
    PublicAddress publicAddress = PublicAddress.parse(json.getString("publicAddress"));
    int eventBusPublicPort = json.getInteger("eventBusPublicPort", 0);
    if (eventBusPublicPort != 0 && publicAddress == null) {
      throw new IllegalArgumentException("cluster.eventBusPublicPort needs cluster.publicAddress (the host it is reached at)");
    }
    if (eventBusPublicPort < 0 || eventBusPublicPort > 65535) {
      throw new IllegalArgumentException("cluster.eventBusPublicPort must be 1 to 65535 (or 0: the event bus's own port), got " + eventBusPublicPort);
    }
    return new ClusterSettings(
      json.getString("name", "change-server"),
      json.getString("host", "127.0.0.1"),
      json.getInteger("port", 5701),
      json.getInteger("portCount", 20),
      ClusterJoin.fromJson(json),
      publicAddress,
      json.getInteger("eventBusPort", 0),
      eventBusPublicPort,
      json.getInteger("heartbeatSeconds", 1),
      json.getInteger("maxNoHeartbeatSeconds", 5),
      json.getInteger("mergeDelaySeconds", 10),
      Tls.fromJson(json.getJsonObject("tls")));
  }
}
