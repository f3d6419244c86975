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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hubs and plugin instances on separate hosts: Linux network namespaces joined by a bridge ({@link TestHosts}), one
 * JVM per host, from the built jar, each with its own address, Hazelcast and event bus; the clients are this JVM,
 * reaching the hub host through the bridge. Needs root: skipped locally without it, failed in CI.
 */
class MultiHostIT {

  private static final int HUB_PORT = 8008;
  private static final int ADMIN_PORT = 8009;
  private static final int CLUSTER_PORT = 5701;

  private final List<JarProcess> processes = new ArrayList<>();
  private TestHosts hosts;
  private Vertx vertx;
  private String clusterName;

  @BeforeEach
  void setUp() {
    TestHosts.requireOrSkip();
    vertx = Vertx.vertx();
    clusterName = "hosts-" + UUID.randomUUID();
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
  void killingOnePluginHostsJvmMovesItsAddressesToTheOtherHost() throws Exception {
    hosts = TestHosts.create(3);
    AdminClient admin = startHub(0);
    JarProcess first = startPlugin(1, "hosts-fake-1");
    JarProcess second = startPlugin(2, "hosts-fake-2");
    awaitUpInstances(admin, 2);

    try (WalletFleet fleet = WalletFleet.connect(vertx, hosts.address(0), HUB_PORT, 2_000)) {
      fleet.subscribeEach("h", 50);
      assertThat(fleet.resultCounts()).isEqualTo(Map.of(ResultCode.UNCHANGED, 100_000L));
      assertThat(fleet.awaitUpdates(1, Duration.ofSeconds(120))).as("each address's fake update").isTrue();
      List<Integer> shares = admin.instanceSubscriptions("fake");
      assertThat(shares).hasSize(2).allSatisfy(share -> assertThat(share).isGreaterThan(40_000));

      String victimInstance = admin.instances("fake").getJsonObject(1).getString("instanceId");
      int victimShare = shares.get(1);
      JarProcess victim = first.output().contains(victimInstance) ? first : second;
      long killedAt = System.nanoTime();
      victim.kill();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> admin.instanceSubscriptions("fake").equals(List.of(100_000)));
      System.out.printf("kill -9 of one of two plugin hosts' JVMs -> all 100,000 subscriptions held by the other host in %d ms%n",
        Duration.ofNanos(System.nanoTime() - killedAt).toMillis());

      // The replayed addresses get their fresh fake update (PROTOCOL.md), the others nothing; then activity reaches
      // every subscription exactly once, and no socket saw a subLost or a close.
      await().atMost(Duration.ofSeconds(60)).until(() -> fleet.updatesBeyond(1) >= victimShare);
      Thread.sleep(1_500);
      assertThat(fleet.updatesBeyond(1)).isEqualTo(victimShare);
      fleet.resetUpdates();
      assertThat(admin.activityOnEveryAddress("fake")).isEqualTo(100_000);
      assertThat(fleet.awaitUpdates(1, Duration.ofSeconds(60))).isTrue();
      Thread.sleep(1_000);
      assertThat(fleet.updatesBeyond(1)).isZero();
      assertThat(fleet.subLost()).isZero();
      assertThat(fleet.closedSockets()).isZero();
      assertThat(admin.hubSubscriptions("fake")).isEqualTo(100_000);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.instanceSubscriptions("fake").equals(List.of(0)));
  }

  @Test
  void aCutLinkHealsAndOwnershipConvergesWithNothingLostOrLeaked() throws Exception {
    hosts = TestHosts.create(3);
    AdminClient admin = startHub(0);
    startPlugin(1, "cut-fake-1");
    startPlugin(2, "cut-fake-2");
    awaitUpInstances(admin, 2);

    try (WalletFleet fleet = WalletFleet.connect(vertx, hosts.address(0), HUB_PORT, 200)) {
      fleet.subscribeEach("c", 50);
      assertThat(fleet.awaitUpdates(1, Duration.ofSeconds(60))).isTrue();

      // Longer than the failure detection (cluster.maxNoHeartbeatSeconds: 5 s): the hub gives host 2 up.
      hosts.linkDown(2);
      long cutAt = System.nanoTime();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> admin.instanceSubscriptions("fake").equals(List.of(10_000)));
      System.out.printf("link cut -> the other instance holds every subscription after %d ms%n", Duration.ofNanos(System.nanoTime() - cutAt).toMillis());
      Thread.sleep(3_000);
      hosts.linkUp(2);
      long healedAt = System.nanoTime();
      // The partition merges back; the instance on host 2 announces itself again and takes its share back.
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
        List<Integer> shares = admin.instanceSubscriptions("fake");
        assertThat(shares).hasSize(2).allSatisfy(share -> assertThat(share).isGreaterThan(3_000));
        assertThat(shares.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
      });
      System.out.printf("link restored -> cluster merged and ownership converged in %d ms%n", Duration.ofNanos(System.nanoTime() - healedAt).toMillis());

      // Nothing lost: activity reaches every subscription exactly once; nothing leaked: the instances hold exactly the
      // hub's subscriptions, each address once.
      Thread.sleep(2_000);
      fleet.resetUpdates();
      assertThat(admin.activityOnEveryAddress("fake")).isEqualTo(10_000);
      assertThat(fleet.awaitUpdates(1, Duration.ofSeconds(60))).isTrue();
      Thread.sleep(1_000);
      assertThat(fleet.updatesBeyond(1)).isZero();
      assertThat(fleet.subLost()).isZero();
      assertThat(fleet.closedSockets()).isZero();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> admin.instanceSubscriptions("fake").equals(List.of(0, 0)));
  }

  @Test
  void twoHubsOnTwoHostsShareOneUpstreamWatchAndBothGetTheUpdate() throws Exception {
    hosts = TestHosts.create(3);
    AdminClient firstHub = startHub(0);
    AdminClient secondHub = startHub(1);
    startPlugin(2, "two-hubs-fake");
    awaitUpInstances(firstHub, 1);
    awaitUpInstances(secondHub, 1);

    try (WalletFleet onFirst = WalletFleet.connect(vertx, hosts.address(0), HUB_PORT, 1);
         WalletFleet onSecond = WalletFleet.connect(vertx, hosts.address(1), HUB_PORT, 1)) {
      onFirst.subscribeEach("shared", 1);
      onSecond.subscribeEach("shared", 1);
      assertThat(onFirst.resultCounts()).isEqualTo(Map.of(ResultCode.UNCHANGED, 1L));
      assertThat(onSecond.resultCounts()).isEqualTo(Map.of(ResultCode.UNCHANGED, 1L));
      JsonObject plugin = firstHub.stats().getJsonObject("plugins").getJsonObject("fake");
      assertThat(plugin.getInteger("watchedAddresses")).as("upstream watches").isEqualTo(1);
      assertThat(plugin.getInteger("subscriptions")).isEqualTo(2);
      assertThat(plugin.getInteger("connections")).isEqualTo(2);
      assertThat(onFirst.awaitUpdates(1, Duration.ofSeconds(30))).isTrue();
      assertThat(onSecond.awaitUpdates(1, Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  void slowAndLossyLinksStillAnswerEverySubscribeAndDeliverEveryUpdate() throws Exception {
    hosts = TestHosts.create(3);
    AdminClient admin = startHub(0);
    startPlugin(1, "lossy-fake-1");
    startPlugin(2, "lossy-fake-2");
    awaitUpInstances(admin, 2);
    // 50 ms ± 10 ms and 1 % loss with netem where the kernel has it; this CI kernel has no sch_netem (and no modules),
    // so there the loss comes from iptables and the links carry no added delay (said in the output, and in the README).
    boolean netem = TestHosts.netemAvailable();
    for (int host = 0; host < 3; host++) {
      if (netem) {
        hosts.netem(host, "delay 50ms 10ms loss 1%");
      } else {
        hosts.loss(host, 1.0);
      }
    }
    System.out.println(netem ? "links: netem delay 50ms 10ms loss 1%" : "links: 1% loss by iptables; no delay (kernel without sch_netem)");
    try (WalletFleet fleet = WalletFleet.connect(vertx, hosts.address(0), HUB_PORT, 100)) {
      long startedAt = System.nanoTime();
      fleet.subscribeEach("l", 20);
      System.out.printf("impaired links: 100 sockets × 20 subscribed in %d ms%n",
        Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
      assertThat(fleet.resultCounts()).isEqualTo(Map.of(ResultCode.UNCHANGED, 2_000L));
      assertThat(fleet.awaitUpdates(1, Duration.ofSeconds(60))).isTrue();
      assertThat(fleet.subLost()).isZero();
    }
  }

  private AdminClient startHub(int host) throws Exception {
    String address = hosts.address(host);
    processes.add(JarProcess.startOn(hosts, host, "hosts-hub-" + host + "-" + clusterName.substring(6, 12),
      Topologies.hub(address, HUB_PORT, ADMIN_PORT, cluster(host)), true));
    AdminClient admin = new AdminClient(address, ADMIN_PORT);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> admin.stats() != null);
    return admin;
  }

  private JarProcess startPlugin(int host, String name) throws Exception {
    JarProcess plugin = JarProcess.startOn(hosts, host, name, Topologies.fakePlugin(cluster(host)), true);
    processes.add(plugin);
    return plugin;
  }

  /** Every member binds its own host's address and joins through the first hub's host. */
  private JsonObject cluster(int host) {
    return Topologies.cluster(clusterName, hosts.address(host), CLUSTER_PORT, List.of(hosts.address(0) + ":" + CLUSTER_PORT));
  }

  private static void awaitUpInstances(AdminClient admin, int count) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
      .until(() -> admin.instanceSubscriptions("fake").size() == count && !admin.instanceSubscriptions("fake").contains(-1));
  }
}
