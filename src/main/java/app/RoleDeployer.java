package app;

import supervision.ChildSpec;
import supervision.JvmOptions;
import supervision.SupervisorVerticle;
import chainworker.ChainWorkerVerticle;
import hub.AdminVerticle;
import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import ops.MetricsVerticle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import plugins.PluginCatalog;
import plugins.evmrpc.EvmRpcPluginVerticle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Deploys the verticles of this JVM's role ({@code all}, {@code hub}, {@code plugin}, {@code chainworker}). {@code role: all} runs the hub here and, by default, supervised child
 * JVMs for each enabled plugin ({@code plugins.<name>.instances} of them, default one) ({@code topology: processes}); {@code topology: inline} runs the plugins as verticles of this
 * JVM instead (small deployments, fast tests).
 */
final class RoleDeployer {

  private static final Logger log = LoggerFactory.getLogger(RoleDeployer.class);
  /** The longest a late plugin JVM waits for the others to announce (well within the hub's default startupWaitMs). */
  static final long LATE_START_MAX_WAIT_MS = 10_000;

  private RoleDeployer() {
  }

  /** Whether this JVM must join a cluster: asked with {@code -cluster}, or it supervises children that talk to it. */
  static boolean needsCluster(JsonObject config, boolean clusterFlag) {
    return clusterFlag || (Role.fromConfig(config.getString("role", "all")) == Role.ALL && !inline(config));
  }

  static Future<Void> deploy(Vertx vertx, JsonObject given) {
    Role role = Role.fromConfig(given.getString("role", "all"));
    JsonObject config = role == Role.ALL ? PluginCatalog.builtInsYieldingToConfigured(given) : given;
    List<Future<String>> deployed = new ArrayList<>();
    switch (role) {
      case ALL -> {
        List<String> enabled = enabledPlugins(config);
        try {
          Map<String, JsonObject> configs = new LinkedHashMap<>();
          enabled.forEach(name -> configs.put(name, pluginConfig(config, name)));
          PluginCatalog.requireOnePluginPerPluginId(configs);
        } catch (IllegalArgumentException conflict) {
          return Future.failedFuture(conflict.getMessage());
        }
        List<String> children = inline(config) ? List.of() : childJvmPlugins(config, enabled);
        // Inline plugins share this JVM's registry, served on the admin port; child JVMs each serve their own.
        List<ChildMetrics.Target> childMetrics = inline(config) ? List.of() : ChildMetrics.plan(config, children);
        deployed.add(deployHub(vertx, config, knownPluginIds(config, enabled), childMetrics));
        for (String name : enabled) {
          if (!children.contains(name)) {
            for (int i = 0; i < PluginCatalog.instances(name, pluginConfig(config, name)); i++) {
              deployed.add(deployPlugin(vertx, name, pluginConfig(config, name)));
            }
          }
        }
        if (!inline(config)) {
          deployed.add(deploySupervisor(vertx, config, children, childMetrics));
        }
      }
      case HUB -> deployed.add(deployHub(vertx, config, config.getJsonObject("hub", new JsonObject()).getJsonArray("knownPluginIds", new JsonArray()),
        List.of()));
      case PLUGIN -> {
        String name = config.getString("plugin");
        if (name == null) {
          return Future.failedFuture("role plugin needs \"plugin\": one of " + PluginCatalog.names());
        }
        deployed.add(deployPlugin(vertx, name, withChildDeployment(vertx, config, pluginConfig(config, name))));
      }
      case CHAINWORKER -> deployed.add(vertx.deployVerticle(new ChainWorkerVerticle(),
        new DeploymentOptions().setConfig(config.getJsonObject("chainworker", new JsonObject()))));
    }
    // A hub JVM serves /metrics on its admin port; any other JVM only when asked to.
    if ((role == Role.PLUGIN || role == Role.CHAINWORKER) && MetricsVerticle.enabled(config)) {
      deployed.add(vertx.deployVerticle(new MetricsVerticle(), new DeploymentOptions().setConfig(config.getJsonObject("metrics"))));
    }
    return Future.all(deployed).mapEmpty();
  }

  private static boolean inline(JsonObject config) {
    String topology = config.getString("topology", "processes").toLowerCase(Locale.ROOT);
    if (!topology.equals("processes") && !topology.equals("inline")) {
      throw new IllegalArgumentException("unknown topology \"" + topology + "\": expected processes or inline");
    }
    return topology.equals("inline");
  }

  static List<String> enabledPlugins(JsonObject config) {
    // A plugin with nothing to serve (evmRpc with every chain disabled) would only be an idle JVM.
    return PluginCatalog.names().stream()
      .filter(name -> PluginCatalog.isEnabled(name, pluginConfig(config, name)))
      .filter(name -> !PluginCatalog.pluginIds(name, pluginConfig(config, name)).isEmpty())
      .toList();
  }

  private static JsonArray knownPluginIds(JsonObject config, List<String> plugins) {
    JsonArray known = new JsonArray();
    plugins.forEach(name -> PluginCatalog.pluginIds(name, pluginConfig(config, name)).forEach(known::add));
    return known;
  }

  /** The enabled plugins that get child JVMs of their own in {@code role: all}: all but those run in the hub's JVM. */
  static List<String> childJvmPlugins(JsonObject config, List<String> enabled) {
    return enabled.stream().filter(name -> !PluginCatalog.runsInHubJvm(name, pluginConfig(config, name))).toList();
  }

  static JsonObject pluginConfig(JsonObject config, String name) {
    return config.getJsonObject("plugins", new JsonObject()).getJsonObject(name, new JsonObject());
  }

  /** The hub with its admin endpoint; the hub learns which pluginIds exist before their JVMs announce themselves. */
  private static Future<String> deployHub(Vertx vertx, JsonObject config, JsonArray knownPluginIds, List<ChildMetrics.Target> childMetrics) {
    JsonObject hub = config.getJsonObject("hub", new JsonObject()).copy().put("knownPluginIds", knownPluginIds);
    return vertx.deployVerticle(HubVerticle::new, new DeploymentOptions().setConfig(hub).setInstances(hub.getInteger("instances", Runtime.getRuntime().availableProcessors())))
      .compose(id -> vertx.deployVerticle(new AdminVerticle(), new DeploymentOptions().setConfig(adminConfig(config, knownPluginIds, childMetrics))));
  }

  /**
   * The admin section, with the pluginIds readiness waits for, the child JVMs' metrics endpoints it lists and the
   * hub's {@code expectedInstances} it exports.
   */
  private static JsonObject adminConfig(JsonObject config, JsonArray knownPluginIds, List<ChildMetrics.Target> childMetrics) {
    JsonArray children = new JsonArray();
    childMetrics.forEach(target -> children.add(target.toJson()));
    JsonObject expectedInstances = config.getJsonObject("hub", new JsonObject()).getJsonObject("expectedInstances", new JsonObject());
    return config.getJsonObject("admin", new JsonObject()).copy().put("knownPluginIds", knownPluginIds).put("childMetrics", children)
      .put("expectedInstances", expectedInstances);
  }

  private static Future<String> deployPlugin(Vertx vertx, String name, JsonObject pluginConfig) {
    return PluginCatalog.create(name)
      .map(verticle -> vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(pluginConfig)))
      .orElseGet(() -> Future.failedFuture("unknown plugin \"" + name + "\": expected one of " + PluginCatalog.names()));
  }

  /**
   * One child JVM per plugin, each joining this JVM's cluster through this JVM's own Hazelcast port and serving its
   * own /metrics on the port planned for it (the evmRpc plugin passes its chain workers theirs). An evmRpc plugin
   * whose chains are all lazy starts once the others have announced themselves ({@link LateStart}).
   */
  private static Future<String> deploySupervisor(Vertx vertx, JsonObject config, List<String> plugins, List<ChildMetrics.Target> childMetrics) {
    JsonObject supervisor = config.getJsonObject("supervisor", new JsonObject());
    List<String> jvmOptions = JvmOptions.forRole("plugin", supervisor);
    List<ChildSpec> children = new ArrayList<>();
    List<ChildSpec> late = new ArrayList<>();
    List<String> earlyPluginIds = new ArrayList<>();
    JsonObject chainWorkerMetrics = ChildMetrics.chainWorkerMetrics(childMetrics);
    for (String name : plugins) {
      JsonObject plugin = pluginConfig(config, name);
      if (name.equals("evmRpc") && chainWorkerMetrics != null) {
        plugin = plugin.copy().put("chainWorkerMetrics", chainWorkerMetrics);
      }
      boolean startsLate = startsLate(name, plugin, plugins);
      if (!startsLate) {
        earlyPluginIds.addAll(PluginCatalog.pluginIds(name, plugin));
      }
      for (String instance : ChildSpec.instanceNames(name, PluginCatalog.instances(name, plugin))) {
        JsonObject child = new JsonObject()
          .put("role", "plugin")
          .put("plugin", name)
          .put("plugins", new JsonObject().put(name, plugin))
          .put("cluster", clusterForChildren(vertx, config))
          .put("supervisor", supervisor)
          .put("logging", config.getJsonObject("logging", new JsonObject()))
          .put("memoryGuard", config.getJsonObject("memoryGuard", new JsonObject()))
          .put("vertxOptions", config.getJsonObject("vertxOptions", new JsonObject()));
        childMetrics.stream().filter(target -> target.role().equals("plugin") && target.name().equals(instance)).findFirst()
          .ifPresent(target -> child.put("metrics", target.metricsConfig()));
        (startsLate ? late : children).add(new ChildSpec(instance, child, jvmOptions));
      }
    }
    Future<String> deployed = SupervisorVerticle.deploy(vertx, children, supervisor);
    if (!late.isEmpty()) {
      deployed.compose(id -> LateStart.afterAnnounced(vertx, earlyPluginIds, LATE_START_MAX_WAIT_MS))
        .compose(v -> SupervisorVerticle.deploy(vertx, late, supervisor))
        .onFailure(failure -> log.atError().addKeyValue("error", failure.toString()).log("late plugin JVMs not started"));
    }
    return deployed;
  }

  /**
   * The evmRpc plugin JVM starts after the others when all its chains are lazy: it serves nothing until a subscribe
   * for one of them, and its start would slow theirs (the first {@code fake} answer) on a small machine.
   */
  private static boolean startsLate(String name, JsonObject plugin, List<String> plugins) {
    return name.equals("evmRpc") && plugins.size() > 1 && EvmRpcPluginVerticle.workerPluginIds(plugin).isEmpty();
  }

  /**
   * What a plugin needs to start JVMs of its own (the evmRpc plugin's chain workers): the cluster they join, reached
   * through this JVM, the supervisor settings and the memory guard's. Absent when this JVM is not clustered: children then run inline.
   */
  private static JsonObject withChildDeployment(Vertx vertx, JsonObject config, JsonObject pluginConfig) {
    if (!vertx.isClustered()) {
      return pluginConfig;
    }
    return pluginConfig.copy()
      .put("childCluster", clusterForChildren(vertx, config))
      .put("supervisor", config.getJsonObject("supervisor", new JsonObject()))
      .put("memoryGuard", config.getJsonObject("memoryGuard", new JsonObject()))
      .put("vertxOptions", config.getJsonObject("vertxOptions", new JsonObject()));
  }

  /**
   * This JVM's cluster section, with this JVM's own Hazelcast address first among the members to join. Children join
   * by TCP whatever this JVM's {@code cluster.join}: their parent is on their machine, and it knows the rest of the
   * cluster. They share this machine's public host, but not its public ports (those are mapped to this JVM's).
   */
  private static JsonObject clusterForChildren(Vertx vertx, JsonObject config) {
    return childCluster(config.getJsonObject("cluster", new JsonObject()), VertxFactory.clusterPort(vertx));
  }

  /** {@link #clusterForChildren}'s section, from this JVM's and the Hazelcast port it listens on. */
  static JsonObject childCluster(JsonObject parentCluster, int parentPort) {
    JsonObject cluster = parentCluster.copy();
    JsonArray members = new JsonArray().add(cluster.getString("host", "127.0.0.1") + ":" + parentPort);
    cluster.getJsonArray("members", new JsonArray()).forEach(members::add);
    cluster.put("join", "tcp").remove("multicast");
    cluster.remove("kubernetes");
    cluster.remove("eventBusPublicPort");
    String publicAddress = cluster.getString("publicAddress");
    if (publicAddress != null) {
      cluster.put("publicAddress", publicAddress.split(":")[0]);
    }
    return cluster.put("members", members);
  }
}
