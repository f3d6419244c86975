package app;

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
 * Builds this JVM's Vert.x: plain, or clustered with the Hazelcast config {@link HazelcastConfigs} makes from
 * {@link ClusterSettings}, and an event bus that advertises the same host as Hazelcast.
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
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(HazelcastConfigs.of(cluster, localRoot));
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

  /**
   * The event bus binds {@code cluster.host} and advertises {@code cluster.publicAddress}'s host when there is one: the
   * members of other machines open their event-bus connections to the address in this advertisement, and a NAT'd
   * private address would take them nowhere.
   */
  static EventBusOptions eventBusOptions(ClusterSettings cluster) {
    ClusterSettings.PublicAddress publicAddress = cluster.publicAddress();
    EventBusOptions options = new EventBusOptions()
      .setHost(cluster.host())
      .setPort(cluster.eventBusPort())
      .setClusterPublicHost(publicAddress != null ? publicAddress.host() : cluster.host());
    if (cluster.eventBusPublicPort() != 0) {
      options.setClusterPublicPort(cluster.eventBusPublicPort());
    }
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
}
