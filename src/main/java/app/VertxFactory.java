package app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import api.BusAddresses;
import api.BusCodecs;
import api.MemberChange;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import ops.Metrics;

/**
 * Builds this JVM's Vert.x: plain, or clustered with a Hazelcast config made in code from {@link ClusterSettings}, so
 * that no multicast default or stray {@code cluster.xml} can ever apply (the network here is closed to multicast).
 */
final class VertxFactory {

  private static final Logger log = LoggerFactory.getLogger(VertxFactory.class);
  /** Where vertx-hazelcast keeps a member's Vert.x node id (it is not the Hazelcast member UUID). */
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private VertxFactory() {
  }

  /** Every JVM, whatever its role, records Vert.x and application metrics into its own Prometheus registry. */
  static Future<Vertx> create(JsonObject config, boolean clustered) {
    VertxOptions options = new VertxOptions(config.getJsonObject("vertxOptions", new JsonObject()));
    Metrics metrics = new Metrics();
    options.setMetricsOptions(metrics.vertxOptions());
    if (!clustered) {
      Vertx vertx = Vertx.builder().with(options).withMetrics(metrics.vertxMetricsFactory()).build();
      metrics.attachTo(vertx);
      return Future.succeededFuture(vertx);
    }
    ClusterSettings cluster = ClusterSettings.fromJson(config.getJsonObject("cluster", new JsonObject()));
    options.setEventBusOptions(eventBusOptions(cluster));
    // The root of a local topology (role all) is the member its children join: it has no neighbours to look for.
    boolean localRoot = Role.fromConfig(config.getString("role", "all")) == Role.ALL;
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(hazelcastConfig(cluster, localRoot));
    return Vertx.builder()
      .with(options)
      .withMetrics(metrics.vertxMetricsFactory())
      .withClusterManager(clusterManager)
      .buildClustered()
      .onSuccess(vertx -> {
        metrics.attachTo(vertx);
        publishMembership(vertx, clusterManager);
      });
  }

  /**
   * Republishes Hazelcast's membership events on the JVM-local {@link BusAddresses#MEMBERS} address. Vert.x's own node
   * listener must not be replaced, so this listens on Hazelcast directly; the Vert.x node id is a member attribute. A
   * member that comes back after a split-brain merge is "joined" again.
   */
  private static void publishMembership(Vertx vertx, HazelcastClusterManager clusterManager) {
    BusCodecs.register(vertx);
    clusterManager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        publish(event, true);
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        publish(event, false);
      }

      private void publish(MembershipEvent event, boolean joined) {
        String nodeId = event.getMember().getAttribute(VERTX_NODE_ID_ATTRIBUTE);
        if (nodeId == null) {
          return;
        }
        log.atInfo().addKeyValue("nodeId", nodeId).log(joined ? "cluster member joined" : "cluster member left");
        vertx.eventBus().publish(BusAddresses.MEMBERS, new MemberChange(nodeId, joined), new DeliveryOptions().setLocalOnly(true));
      }
    });
  }

  /** The port this JVM's Hazelcast member listens on, for children to join (null when not clustered). */
  static Integer clusterPort(Vertx vertx) {
    if (!vertx.isClustered()) {
      return null;
    }
    HazelcastClusterManager clusterManager = (HazelcastClusterManager) ((VertxInternal) vertx).clusterManager();
    return clusterManager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort();
  }

  private static EventBusOptions eventBusOptions(ClusterSettings cluster) {
    EventBusOptions options = new EventBusOptions()
      .setHost(cluster.host())
      .setPort(cluster.eventBusPort())
      .setClusterPublicHost(cluster.host());
    ClusterSettings.Tls tls = cluster.tls();
    if (tls != null) {
      PemTrustOptions trusted = new PemTrustOptions();
      tls.trustedCertPaths().forEach(trusted::addCertPath);
      options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()))
        .setTrustOptions(trusted)
        .setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  /**
   * {@code localRoot}: probe only the listed members' own ports. Otherwise a member tries every port of the range on
   * each listed host, and a first member waits a further second for the ones that refused before it becomes master
   * (hub listening 3.0 s after start instead of 1.7-2.1 s on the 2-core machine).
   */
  static Config hazelcastConfig(ClusterSettings cluster, boolean localRoot) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Joining takes ~1.3 s instead of ~6.5 s; members found by TCP, not by the default wait for multicast answers.
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.tcp.join.port.try.count", String.valueOf(localRoot ? 1 : cluster.portCount()));
    // Otherwise Hazelcast listens on every interface whatever the interfaces setting says.
    config.setProperty("hazelcast.socket.bind.any", "false");
    // Vert.x closes the cluster manager itself on shutdown; Hazelcast's own hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Hazelcast's own metrics collection showed in plugin profiles under load; our metrics come from Vert.x and us.
    config.getMetricsConfig().setEnabled(false);
    config.getJetConfig().setEnabled(false);
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(cluster.heartbeatSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(cluster.maxNoHeartbeatSeconds()));
    // A partition that heals (a link cut and restored) merges back within this, not Hazelcast's default 5 minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(cluster.mergeDelaySeconds()));
    config.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(cluster.mergeDelaySeconds()));

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(cluster.portCount());
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());

    // The structures the Vert.x cluster manager relies on (its default-cluster.xml declares the same).
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1).setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }
}
