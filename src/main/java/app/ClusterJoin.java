package app;

import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a member finds the others ({@code cluster.join}), read from the {@code cluster} section with its mode's keys.
 * Each mode turns on exactly its own Hazelcast join and turns every other one off, so that no default (Hazelcast's
 * multicast, auto-detection) ever applies behind the operator's back. A bad combination of keys is an error at
 * start-up naming the key, never a member that silently forms a cluster of one.
 */
sealed interface ClusterJoin {

  /** Configures {@code join} for this mode; {@code clusterPort} is the port the other members listen on. */
  void applyTo(JoinConfig join, int clusterPort);

  /**
   * {@code cluster.join: "tcp"} (the default): the listed members ({@code host} or {@code host:port}), tried port by port
   * over the cluster's port range.
   */
  record Tcp(List<String> members) implements ClusterJoin {

    @Override
    public void applyTo(JoinConfig join, int clusterPort) {
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
    }
  }

  /**
   * {@code cluster.join: "multicast"}: members announce themselves to a multicast group on {@code cluster.host}'s
   * interface. For one LAN segment only: the small default TTL keeps the announcements from crossing routers.
   */
  record Multicast(String group, int port, int ttl) implements ClusterJoin {

    @Override
    public void applyTo(JoinConfig join, int clusterPort) {
      join.getTcpIpConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getMulticastConfig().setEnabled(true).setMulticastGroup(group).setMulticastPort(port).setMulticastTimeToLive(ttl);
    }
  }

  /**
   * {@code cluster.join: "kubernetes"}: Hazelcast's built-in Kubernetes discovery, in DNS-lookup mode (the pods behind
   * a headless service) or in API mode (the endpoints of a service, found by name or by label, through the Kubernetes
   * API). {@code properties} are Hazelcast's own names for them.
   */
  record Kubernetes(Map<String, String> properties) implements ClusterJoin {

    @Override
    public void applyTo(JoinConfig join, int clusterPort) {
      join.getTcpIpConfig().setEnabled(false);
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true);
      properties.forEach(kubernetes::setProperty);
      if (properties.containsKey("service-dns")) {
        // The DNS answer holds addresses only: the port to try is ours, not Hazelcast's default 5701.
        kubernetes.setProperty("service-port", String.valueOf(clusterPort));
      }
    }
  }

  /** Reads {@code cluster.join} and its mode's keys from the {@code cluster} section. */
  static ClusterJoin fromJson(JsonObject cluster) {
    String mode = cluster.getString("join", "tcp");
    if (!mode.equals("tcp") && cluster.containsKey("members")) {
      throw new IllegalArgumentException("cluster.members is read only with cluster.join \"tcp\", not \"" + mode + "\": remove it");
    }
    return switch (mode) {
      case "tcp" -> new Tcp(cluster.getJsonArray("members", new JsonArray().add("127.0.0.1")).stream().map(String::valueOf).toList());
      case "multicast" -> multicast(cluster.getJsonObject("multicast", new JsonObject()));
      case "kubernetes" -> kubernetes(cluster.getJsonObject("kubernetes", new JsonObject()));
      default -> throw new IllegalArgumentException("unknown cluster.join \"" + mode + "\": expected tcp, multicast or kubernetes");
    };
  }

  private static Multicast multicast(JsonObject json) {
    String group = json.getString("group", "224.2.2.3");
    if (!isMulticastGroup(group)) {
      throw new IllegalArgumentException("cluster.multicast.group must be an IPv4 multicast address (224.0.0.0 to 239.255.255.255), got \"" + group + "\"");
    }
    int port = json.getInteger("port", 54327);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster.multicast.port must be 1 to 65535, got " + port);
    }
    int ttl = json.getInteger("ttl", 1);
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("cluster.multicast.ttl must be 0 to 255, got " + ttl);
    }
    return new Multicast(group, port, ttl);
  }

  private static boolean isMulticastGroup(String group) {
    String[] octets = group.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    int first = Integer.parseInt(octets[0]);
    return first >= 224 && first <= 239;
  }

  /**
   * Exactly one mode: {@code serviceDns} alone (DNS lookup), or the API mode's {@code serviceName} or
   * {@code serviceLabelName} with {@code serviceLabelValue}, in {@code namespace} (default: the pod's own).
   */
  private static Kubernetes kubernetes(JsonObject json) {
    String serviceDns = json.getString("serviceDns");
    String namespace = json.getString("namespace");
    String serviceName = json.getString("serviceName");
    String labelName = json.getString("serviceLabelName");
    String labelValue = json.getString("serviceLabelValue");
    Map<String, String> properties = new LinkedHashMap<>();
    if (serviceDns != null) {
      for (String apiKey : List.of("namespace", "serviceName", "serviceLabelName", "serviceLabelValue")) {
        if (json.containsKey(apiKey)) {
          throw new IllegalArgumentException("cluster.kubernetes.serviceDns (DNS lookup) and cluster.kubernetes." + apiKey
            + " (API mode) exclude each other: set one mode only");
        }
      }
      if (serviceDns.isBlank()) {
        throw new IllegalArgumentException("cluster.kubernetes.serviceDns is empty: expected <headless-service>.<namespace>.svc.cluster.local");
      }
      properties.put("service-dns", serviceDns);
      return new Kubernetes(Map.copyOf(properties));
    }
    if (serviceName != null && (labelName != null || labelValue != null)) {
      throw new IllegalArgumentException("cluster.kubernetes.serviceName and cluster.kubernetes.serviceLabelName/serviceLabelValue exclude each other: set one");
    }
    if ((labelName == null) != (labelValue == null)) {
      throw new IllegalArgumentException("cluster.kubernetes." + (labelName == null ? "serviceLabelName" : "serviceLabelValue")
        + " is missing: serviceLabelName and serviceLabelValue go together");
    }
    if (serviceName == null && labelName == null) {
      throw new IllegalArgumentException("cluster.join \"kubernetes\" needs cluster.kubernetes.serviceDns (DNS lookup), or cluster.kubernetes.serviceName"
        + " or cluster.kubernetes.serviceLabelName with serviceLabelValue (API mode)");
    }
    if (namespace != null) {
      properties.put("namespace", namespace);
    }
    if (serviceName != null) {
      properties.put("service-name", serviceName);
    } else {
      properties.put("service-label-name", labelName);
      properties.put("service-label-value", labelValue);
    }
    return new Kubernetes(Map.copyOf(properties));
  }
}
