package app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.kubernetes.HazelcastKubernetesDiscoveryStrategyFactory;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Hazelcast config and event-bus options each {@code cluster} section gives, built without starting anything. */
class HazelcastConfigsTest {

  @Test
  void withoutAJoinModeMembersAreFoundByTcpOnlyAtTheListedAddresses() {
    Config config = config(new JsonObject().put("host", "10.0.0.5").put("members", new JsonArray().add("10.0.0.6:5701").add("10.0.0.7")));

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.6:5701", "10.0.0.7");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.5");
    assertThat(config.getNetworkConfig().getPublicAddress()).isNull();
  }

  @Test
  void theDefaultSectionStillJoinsOnLoopback() {
    JoinConfig join = config(new JsonObject()).getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
  }

  @Test
  void multicastTurnsTcpAndAutoDetectionOffAndKeepsAnnouncementsOnTheLocalSegment() {
    Config config = config(new JsonObject().put("join", "multicast").put("host", "192.168.1.20"));

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isTrue();
    assertThat(join.getMulticastConfig().getMulticastGroup()).isEqualTo("224.2.2.3");
    assertThat(join.getMulticastConfig().getMulticastPort()).isEqualTo(54327);
    assertThat(join.getMulticastConfig().getMulticastTimeToLive()).isEqualTo(1);
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("192.168.1.20");
  }

  @Test
  void multicastTakesItsGroupPortAndTtl() {
    JsonObject multicast = new JsonObject().put("group", "239.1.2.3").put("port", 45000).put("ttl", 4);
    JoinConfig join = config(new JsonObject().put("join", "multicast").put("multicast", multicast)).getNetworkConfig().getJoin();

    assertThat(join.getMulticastConfig().getMulticastGroup()).isEqualTo("239.1.2.3");
    assertThat(join.getMulticastConfig().getMulticastPort()).isEqualTo(45000);
    assertThat(join.getMulticastConfig().getMulticastTimeToLive()).isEqualTo(4);
  }

  @Test
  void kubernetesDnsLookupTurnsTcpAndMulticastOffAndProbesOurClusterPort() {
    JsonObject kubernetes = new JsonObject().put("serviceDns", "change-server-cluster.payments.svc.cluster.local");
    Config config = config(new JsonObject().put("join", "kubernetes").put("port", 5801).put("kubernetes", kubernetes));

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties())
      .isEqualTo(Map.of("service-dns", "change-server-cluster.payments.svc.cluster.local", "service-port", "5801"));
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(hazelcastKubernetesPropertyNames()).containsAll(join.getKubernetesConfig().getProperties().keySet());
  }

  @Test
  void kubernetesApiModeFindsTheServiceByNameOrByLabel() {
    JoinConfig byName = config(new JsonObject().put("join", "kubernetes")
      .put("kubernetes", new JsonObject().put("namespace", "payments").put("serviceName", "change-server"))).getNetworkConfig().getJoin();
    assertThat(byName.getKubernetesConfig().getProperties()).isEqualTo(Map.of("namespace", "payments", "service-name", "change-server"));
    assertThat(byName.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(byName.getMulticastConfig().isEnabled()).isFalse();

    JoinConfig byLabel = config(new JsonObject().put("join", "kubernetes")
      .put("kubernetes", new JsonObject().put("serviceLabelName", "app").put("serviceLabelValue", "change-server"))).getNetworkConfig().getJoin();
    assertThat(byLabel.getKubernetesConfig().getProperties()).isEqualTo(Map.of("service-label-name", "app", "service-label-value", "change-server"));
    assertThat(hazelcastKubernetesPropertyNames())
      .containsAll(byName.getKubernetesConfig().getProperties().keySet())
      .containsAll(byLabel.getKubernetesConfig().getProperties().keySet());
  }

  @Test
  void aPublicAddressIsWhatHazelcastAndTheEventBusAdvertise() {
    ClusterSettings cluster = ClusterSettings.fromJson(new JsonObject().put("host", "10.0.0.5").put("publicAddress", "203.0.113.7:15701"));

    assertThat(HazelcastConfigs.of(cluster, false).getNetworkConfig().getPublicAddress()).isEqualTo("203.0.113.7:15701");
    EventBusOptions eventBus = VertxFactory.eventBusOptions(cluster);
    assertThat(eventBus.getHost()).isEqualTo("10.0.0.5");
    assertThat(eventBus.getClusterPublicHost()).isEqualTo("203.0.113.7");
    assertThat(eventBus.getClusterPublicPort()).as("the event bus's own port").isEqualTo(EventBusOptions.DEFAULT_CLUSTER_PUBLIC_PORT);
  }

  @Test
  void aNatThatMapsTheEventBusPortElsewhereIsToldByEventBusPublicPort() {
    ClusterSettings cluster = ClusterSettings.fromJson(new JsonObject().put("host", "10.0.0.5").put("eventBusPort", 5800)
      .put("publicAddress", "gw.example.org").put("eventBusPublicPort", 15800));

    assertThat(HazelcastConfigs.of(cluster, false).getNetworkConfig().getPublicAddress()).isEqualTo("gw.example.org");
    EventBusOptions eventBus = VertxFactory.eventBusOptions(cluster);
    assertThat(eventBus.getPort()).isEqualTo(5800);
    assertThat(eventBus.getClusterPublicHost()).isEqualTo("gw.example.org");
    assertThat(eventBus.getClusterPublicPort()).isEqualTo(15800);
  }

  @Test
  void withoutAPublicAddressTheEventBusAdvertisesItsOwnHost() {
    EventBusOptions eventBus = VertxFactory.eventBusOptions(ClusterSettings.fromJson(new JsonObject().put("host", "10.0.0.5")));
    assertThat(eventBus.getClusterPublicHost()).isEqualTo("10.0.0.5");
  }

  @Test
  void aSupervisedChildJoinsItsParentByTcpWhateverTheMachinesDiscoveryAndSharesOnlyItsPublicHost() {
    JsonObject parent = new JsonObject().put("host", "10.0.0.5").put("join", "kubernetes")
      .put("kubernetes", new JsonObject().put("serviceDns", "cs.payments.svc.cluster.local"))
      .put("publicAddress", "203.0.113.7:15701").put("eventBusPort", 5800).put("eventBusPublicPort", 15800);
    ClusterSettings child = ClusterSettings.fromJson(RoleDeployer.childCluster(parent, 5703));

    JoinConfig join = HazelcastConfigs.of(child, false).getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.5:5703");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(HazelcastConfigs.of(child, false).getNetworkConfig().getPublicAddress()).isEqualTo("203.0.113.7");
    assertThat(VertxFactory.eventBusOptions(child).getClusterPublicHost()).isEqualTo("203.0.113.7");
    assertThat(VertxFactory.eventBusOptions(child).getClusterPublicPort()).isEqualTo(EventBusOptions.DEFAULT_CLUSTER_PUBLIC_PORT);
  }

  @Test
  void badSectionsAreStartUpErrorsNamingTheKey() {
    assertError(new JsonObject().put("join", "gossip"), "unknown cluster.join \"gossip\": expected tcp, multicast or kubernetes");
    assertError(new JsonObject().put("join", "multicast").put("members", new JsonArray().add("10.0.0.6")),
      "cluster.members is read only with cluster.join \"tcp\", not \"multicast\": remove it");
    assertError(new JsonObject().put("join", "multicast").put("multicast", new JsonObject().put("group", "10.0.0.1")),
      "cluster.multicast.group must be an IPv4 multicast address (224.0.0.0 to 239.255.255.255), got \"10.0.0.1\"");
    assertError(new JsonObject().put("join", "multicast").put("multicast", new JsonObject().put("port", 70000)),
      "cluster.multicast.port must be 1 to 65535, got 70000");
    assertError(new JsonObject().put("join", "multicast").put("multicast", new JsonObject().put("ttl", 256)),
      "cluster.multicast.ttl must be 0 to 255, got 256");
    assertError(new JsonObject().put("join", "kubernetes"),
      "cluster.join \"kubernetes\" needs cluster.kubernetes.serviceDns (DNS lookup), or cluster.kubernetes.serviceName"
        + " or cluster.kubernetes.serviceLabelName with serviceLabelValue (API mode)");
    assertError(new JsonObject().put("join", "kubernetes").put("kubernetes", new JsonObject().put("namespace", "payments")),
      "cluster.join \"kubernetes\" needs cluster.kubernetes.serviceDns (DNS lookup), or cluster.kubernetes.serviceName"
        + " or cluster.kubernetes.serviceLabelName with serviceLabelValue (API mode)");
    assertError(new JsonObject().put("join", "kubernetes").put("kubernetes", new JsonObject().put("serviceDns", "cs.payments.svc.cluster.local").put("namespace", "payments")),
      "cluster.kubernetes.serviceDns (DNS lookup) and cluster.kubernetes.namespace (API mode) exclude each other: set one mode only");
    assertError(new JsonObject().put("join", "kubernetes").put("kubernetes", new JsonObject().put("serviceName", "cs").put("serviceLabelName", "app")),
      "cluster.kubernetes.serviceName and cluster.kubernetes.serviceLabelName/serviceLabelValue exclude each other: set one");
    assertError(new JsonObject().put("join", "kubernetes").put("kubernetes", new JsonObject().put("serviceLabelName", "app")),
      "cluster.kubernetes.serviceLabelValue is missing: serviceLabelName and serviceLabelValue go together");
    assertError(new JsonObject().put("publicAddress", "203.0.113.7:http"), "cluster.publicAddress port must be 1 to 65535, got \"203.0.113.7:http\"");
    assertError(new JsonObject().put("publicAddress", "2001:db8::1"),
      "cluster.publicAddress must be \"host\" or \"host:port\" (IPv4 or a name), got \"2001:db8::1\"");
    assertError(new JsonObject().put("eventBusPublicPort", 15800), "cluster.eventBusPublicPort needs cluster.publicAddress (the host it is reached at)");
  }

  private static Config config(JsonObject cluster) {
    return HazelcastConfigs.of(ClusterSettings.fromJson(cluster), false);
  }

  private static void assertError(JsonObject cluster, String message) {
    assertThatThrownBy(() -> config(cluster)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  /** The property names Hazelcast's Kubernetes discovery accepts (it rejects a config with any other). */
  private static List<String> hazelcastKubernetesPropertyNames() {
    return new HazelcastKubernetesDiscoveryStrategyFactory().getConfigurationProperties().stream().map(PropertyDefinition::key).toList();
  }
}
