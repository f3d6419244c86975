package app;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;

/**
 * The Hazelcast config of a clustered JVM, made in code from {@link ClusterSettings} so that no stray
 * {@code cluster.xml} or Hazelcast default (multicast, auto-detection) can ever apply: members find each other only
 * the way {@code cluster.join} says. Builds the config only; nothing starts here.
 */
final class HazelcastConfigs {

  private HazelcastConfigs() {
  }

  /**
   * {@code localRoot}: probe only the listed members' own ports. Otherwise a member tries every port of the range on
   * each listed host, and a first member waits a further second for the ones that refused before it becomes master
   * (hub listening 3.0 s after start instead of 1.7-2.1 s on the 2-core machine).
   */
  static Config of(ClusterSettings cluster, boolean localRoot) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Joining takes ~1.3 s instead of ~6.5 s: no extra wait before the join (multicast still waits its own 2 s for answers).
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
    // Also the interface multicast announcements go out on and are listened for.
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    if (cluster.publicAddress() != null) {
      // What this member tells the others to connect to, when a NAT stands between them and cluster.host.
      network.setPublicAddress(cluster.publicAddress().hazelcastForm());
    }
    cluster.join().applyTo(network.getJoin(), cluster.port());
    // Hazelcast's own check that exactly one join method is on, made here rather than when the member starts.
    network.getJoin().verify();

    // The structures the Vert.x cluster manager relies on (its default-cluster.xml declares the same).
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1).setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }
}
