package app;

import api.ResultCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testkit.AdminClient;
import testkit.JarProcess;
import testkit.TestHosts;
import testkit.Topologies;
import testkit.WalletFleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cluster.join: "multicast"} for real: a hub and a fake plugin instance on two hosts of one LAN segment
 * ({@link TestHosts} with {@link TestHosts#enableMulticast()}), each JVM from the built jar in its own network
 * namespace, with no member list at all: they can only have found each other by multicast. A wallet on this JVM
 * subscribes through the hub's host address and gets the plugin's update. A third instance on the same segment,
 * announcing to another group, is never found. Needs root, like {@link MultiHostIT}.
 */
class MulticastDiscoveryIT {

  private static final int HUB_PORT = 8008;
  private static final int ADMIN_PORT = 8009;
  private static final int CLUSTER_PORT = 5701;

  private final List<JarProcess> processes = new ArrayList<>();
  private TestHosts hosts;
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    TestHosts.require();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    processes.forEach(JarProcess::close);
    if (hosts != null) {
      hosts.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  @Test
  void aHubAndAPluginOnTwoHostsFindEachOtherByMulticastAndAWalletGetsThePluginsUpdate() throws Exception {
    hosts = TestHosts.create(3);
    hosts.enableMulticast();
    String clusterName = "multicast-" + UUID.randomUUID();
    // A group and port of this run's own, set through the config keys (not Hazelcast's defaults).
    ThreadLocalRandom random = ThreadLocalRandom.current();
    JsonObject multicast = new JsonObject().put("group", "239.213." + random.nextInt(256) + "." + random.nextInt(1, 255))
      .put("port", random.nextInt(40_000, 50_000)).put("ttl", 1);

    String hubAddress = hosts.address(0);
    JsonObject hubConfig = Topologies.hub(hubAddress, HUB_PORT, ADMIN_PORT, Topologies.multicastCluster(clusterName, hubAddress, CLUSTER_PORT, multicast));
    processes.add(JarProcess.startOn(hosts, 0, "multicast-hub-" + clusterName.substring(10, 16), hubConfig, true));
    JsonObject pluginConfig = Topologies.fakePlugin(Topologies.multicastCluster(clusterName, hosts.address(1), CLUSTER_PORT, multicast));
    processes.add(JarProcess.startOn(hosts, 1, "multicast-fake-" + clusterName.substring(10, 16), pluginConfig, true));
    // Same cluster name, same segment, another group: it must stay a cluster of its own.
    JsonObject otherGroup = multicast.copy().put("group", "239.214.0.1");
    JarProcess outsider = JarProcess.startOn(hosts, 2, "multicast-outsider-" + clusterName.substring(10, 16),
      Topologies.fakePlugin(Topologies.multicastCluster(clusterName, hosts.address(2), CLUSTER_PORT, otherGroup)), true);
    processes.add(outsider);

    AdminClient admin = new AdminClient(hubAddress, ADMIN_PORT);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
      .until(() -> admin.instanceSubscriptions("fake").equals(List.of(0)));
    assertThat(admin.stats().getJsonObject("cluster").getJsonArray("members")).as("the hub and the plugin, one cluster").hasSize(2);

    try (WalletFleet wallet = WalletFleet.connect(vertx, hubAddress, HUB_PORT, 1)) {
      wallet.subscribeEach("m", 1);
      assertThat(wallet.resultCounts()).isEqualTo(Map.of(ResultCode.UNCHANGED, 1L));
      assertThat(wallet.awaitUpdates(1, Duration.ofSeconds(30))).as("the fake plugin's update, across the hosts' event buses").isTrue();
      assertThat(wallet.subLost()).isZero();
    }
    // The outsider is up (it announces itself once its own cluster is formed) but was never found.
    await().atMost(Duration.ofSeconds(90)).until(() -> outsider.output().contains("plugin announced"));
    assertThat(admin.instanceSubscriptions("fake")).as("only the plugin on the hub's group").hasSize(1);
    assertThat(admin.stats().getJsonObject("cluster").getJsonArray("members")).hasSize(2);
  }
}
