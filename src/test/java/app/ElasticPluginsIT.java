package app;

import api.ResultCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testkit.AdminClient;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.Topologies;
import testkit.WalletFleet;
import testkit.WsTestClient;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plugin instances as separate JVMs on one host, from the built jar: a hub and two {@code fake} plugin JVMs in one
 * Hazelcast cluster. A killed instance's addresses are served by the survivor, a rolling restart costs the clients
 * nothing, and {@code java -jar} answers a subscribe sent the moment its port accepts with the real result.
 */
class ElasticPluginsIT {

  private static final String LOOPBACK = "127.0.0.1";

  private final List<JarProcess> processes = new ArrayList<>();
  private Vertx vertx;
  private String clusterName;
  private int[] clusterPorts;
  private int hubPort;
  private AdminClient admin;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    clusterName = "elastic-" + UUID.randomUUID();
    clusterPorts = FreePorts.clusterPortBlocks(5);
  }

  @AfterEach
  void tearDown() {
    processes.forEach(JarProcess::close);
    vertx.close();
  }

  @Test
  void aKilledInstancesAddressesAreServedByTheSurvivorWithNothingLostOrLeaked() throws Exception {
    List<JarProcess> instances = startHubAndTwoInstances("elastic");
    JarProcess first = instances.get(0);
    JarProcess second = instances.get(1);

    try (WalletFleet fleet = WalletFleet.connect(vertx, LOOPBACK, hubPort, 200)) {
      fleet.subscribeEach("k", 50);
      assertThat(fleet.resultCounts()).isEqualTo(Map.of(ResultCode.UNCHANGED, 10_000L));
      assertThat(fleet.awaitUpdates(1, Duration.ofSeconds(60))).as("each address's fake update").isTrue();
      List<Integer> shares = admin.instanceSubscriptions("fake");
      assertThat(shares).hasSize(2).allSatisfy(share -> assertThat(share).isGreaterThan(3_000));
      assertThat(shares.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);

      int killedShare = shares.get(1);
      String killedInstance = admin.instances("fake").getJsonObject(1).getString("instanceId");
      // Its JVM is the one that logged that instance id when it announced itself.
      JarProcess victim = first.output().contains(killedInstance) ? first : second;
      long killedAt = System.nanoTime();
      victim.kill();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> admin.instanceSubscriptions("fake").equals(List.of(10_000)));
      System.out.printf("kill -9 of one of two instances -> all 10,000 subscriptions held by the survivor in %d ms%n",
        Duration.ofNanos(System.nanoTime() - killedAt).toMillis());

      // The survivor replays the dead instance's addresses with fresh watches: one fake update each (PROTOCOL.md), and
      // nothing else. Then activity reaches every subscription exactly once.
      await().atMost(Duration.ofSeconds(30)).until(() -> fleet.updatesBeyond(1) >= killedShare);
      Thread.sleep(1_500);
      assertThat(fleet.updatesBeyond(1)).as("updates beyond the first per address").isEqualTo(killedShare);
      assertThat(fleet.addressesWithFewerThan(1)).isZero();
      fleet.assertActivityReachesEverySubscriptionOnce(admin, "fake", 10_000);
      JsonObject hub = admin.stats().getJsonObject("hub");
      assertThat(hub.getJsonObject("moves").getLong("fake")).isEqualTo(killedShare);
      assertThat(hub.getJsonObject("moveUpdates").getLong("fake")).isZero();
    }
    // Closed sockets leave nothing behind on the instance that is left.
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      JsonObject instance = admin.instances("fake").getJsonObject(0);
      assertThat(List.of(instance.getInteger("subscriptions"), instance.getInteger("watchedAddresses"), instance.getInteger("connections")))
        .containsOnly(0);
    });
  }

  @Test
  void aRollingRestartOfBothInstancesCostsTheClientsNothing() throws Exception {
    List<JarProcess> instances = startHubAndTwoInstances("rolling");
    JarProcess first = instances.get(0);
    JarProcess second = instances.get(1);

    try (WalletFleet fleet = WalletFleet.connect(vertx, LOOPBACK, hubPort, 100)) {
      fleet.subscribeEach("r", 50);
      assertThat(fleet.awaitUpdates(1, Duration.ofSeconds(60))).isTrue();
      // Wallets keep subscribing new addresses throughout.
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread wallets = new Thread(() -> {
        try {
          for (int round = 0; round < 12 && !Thread.currentThread().isInterrupted(); round++) {
            fleet.subscribeEach("during" + round + "-", 2);
            Thread.sleep(1_000);
          }
        } catch (Throwable e) {
          failure.set(e);
        }
      }, "wallets");
      wallets.start();

      assertThat(first.terminate(30)).as("first instance's exit code after SIGTERM").isEqualTo(0);
      JarProcess firstAgain = startPlugin("rolling-fake-a2", 3);
      awaitUpInstances(2);
      assertThat(second.terminate(30)).as("second instance's exit code after SIGTERM").isEqualTo(0);
      startPlugin("rolling-fake-b2", 4);
      awaitUpInstances(2);
      wallets.join(60_000);
      assertThat(failure.get()).isNull();

      long total = fleet.subscriptions();
      assertThat(total).isEqualTo(100 * 50 + 100 * 2 * 12);
      assertThat(fleet.resultCounts()).as("no 2, no 0, no -1 during the restarts").isEqualTo(Map.of(ResultCode.UNCHANGED, total));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        List<Integer> shares = admin.instanceSubscriptions("fake");
        assertThat(shares).hasSize(2).allSatisfy(share -> assertThat(share).isPositive());
        assertThat(shares.stream().mapToLong(Integer::longValue).sum()).isEqualTo(total);
      });
      assertThat(fleet.awaitUpdates(1, Duration.ofSeconds(30))).as(() -> fleet.describeMissing(1)).isTrue();
      assertThat(fleet.updatesBeyond(1)).as("updates beyond each address's first").isZero();
      fleet.assertActivityReachesEverySubscriptionOnce(admin, "fake", total);
      assertThat(firstAgain.isAlive()).isTrue();
      System.out.printf("rolling restart of two instances under %d subscriptions: results %s, subLost %d, move updates %d%n",
        total, fleet.resultCounts(), fleet.subLost(), admin.stats().getJsonObject("hub").getJsonObject("moveUpdates").getLong("fake"));
    }
  }

  @Test
  void theDefaultTopologyAnswersASubscribeSentTheMomentItsPortAccepts() throws Exception {
    int adminPort = FreePorts.next();
    JsonObject chains = new JsonObject();
    // The default topology (hub, fake, blockbook), with Blockbook pointed at a closed local port: nothing leaves this host.
    for (String pluginId : List.of("bitcoin", "bitcoincash", "litecoin", "dogecoin", "qtum")) {
      chains.put(pluginId, new JsonObject().put("urls", new JsonArray().add("ws://127.0.0.1:" + FreePorts.next() + "/")));
    }
    hubPort = FreePorts.next();
    processes.add(JarProcess.start("default-topology", new JsonObject()
      .put("hub", new JsonObject().put("port", hubPort))
      .put("admin", new JsonObject().put("port", adminPort).put("childMetricsPortBase", 0))
      .put("cluster", new JsonObject().put("name", clusterName).put("port", clusterPorts[0]).put("portCount", FreePorts.CLUSTER_PORT_BLOCK))
      .put("plugins", new JsonObject().put("blockbook", new JsonObject().put("chains", chains))), false));
    long startedAt = System.nanoTime();
    while (!accepts(hubPort)) {
      assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(60));
      Thread.sleep(10);
    }
    try (WsTestClient client = WsTestClient.connect(vertx, hubPort)) {
      long sentAt = System.nanoTime();
      // The reply waits for the slowest plugin JVM (blockbook), by which time the fake's update for abc may already
      // have come: PROTOCOL.md orders notifications among themselves, not against replies.
      assertThat(client.callSkippingNotifications("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":"
        + "[[\"fake\",\"abc\",\"100\"],[\"bitcoin\",\"1notABitcoinAddress\",\"100\"],[\"nochain\",\"x\"]],\"id\":0}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,0,-1],\"id\":0}");
      System.out.printf("java -jar: port accepted %d ms after start; first subscribe answered %d ms later%n",
        Duration.ofNanos(sentAt - startedAt).toMillis(), Duration.ofNanos(System.nanoTime() - sentAt).toMillis());
    }
  }

  private List<JarProcess> startHubAndTwoInstances(String prefix) throws Exception {
    startHub();
    List<JarProcess> instances = List.of(startPlugin(prefix + "-fake-a", 1), startPlugin(prefix + "-fake-b", 2));
    awaitUpInstances(2);
    return instances;
  }

  private void startHub() throws Exception {
    hubPort = FreePorts.next();
    int adminPort = FreePorts.next();
    processes.add(JarProcess.start("elastic-hub-" + UUID.randomUUID().toString().substring(0, 6), Topologies.hub(LOOPBACK, hubPort, adminPort, cluster(0)), true));
    admin = new AdminClient(adminPort);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> admin.stats() != null);
  }

  private JarProcess startPlugin(String name, int block) throws Exception {
    JarProcess plugin = JarProcess.start(name, Topologies.fakePlugin(cluster(block)), true);
    processes.add(plugin);
    return plugin;
  }

  private JsonObject cluster(int block) {
    return Topologies.cluster(clusterName, LOOPBACK, clusterPorts[block], List.of(LOOPBACK + ":" + clusterPorts[0]));
  }

  private void awaitUpInstances(int count) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
      .until(() -> admin.instanceSubscriptions("fake").size() == count && !admin.instanceSubscriptions("fake").contains(-1));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket(LOOPBACK, port)) {
      return true;
    } catch (Exception refused) {
      return false;
    }
  }
}
