package app;

import hub.AdminVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import supervision.ChildSpec;
import plugins.PluginCatalog;
import plugins.evmrpc.EvmRpcPluginVerticle;

import java.util.ArrayList;
import java.util.List;

/**
 * Which port each supervised child JVM of {@code role: all} serves its own {@code /metrics} on, so that every JVM is a
 * scrape target. Ports are consecutive from {@code admin.childMetricsPortBase} (default {@code admin.port + 1}; 0 turns
 * them off), in a fixed order: the plugin JVMs in catalog order (fake, blockbook, evmRpc), each instance in turn, then
 * the evmRpc plugin's chain-worker JVMs by pluginId and instance. Children bind {@code admin.host}, the interface already reserved for operators.
 */
final class ChildMetrics {

  /** One child JVM that serves {@code /metrics}: {@code role} is {@code plugin} or {@code chainworker}. */
  record Target(String name, String role, List<String> pluginIds, String host, int port) {

    String url() {
      return "http://" + AdminVerticle.reachableHost(host) + ":" + port + "/metrics";
    }

    /** A child's own {@code metrics} section; a port taken by another program costs the child its /metrics, not its work. */
    JsonObject metricsConfig() {
      return new JsonObject().put("host", host).put("port", port).put("optional", true);
    }

    JsonObject toJson() {
      return new JsonObject().put("name", name).put("role", role).put("pluginIds", new JsonArray(pluginIds)).put("url", url());
    }
  }

  private ChildMetrics() {
  }

  /** The targets of this config's children (none when the base is 0); fails when a port is out of range or taken by the hub. */
  static List<Target> plan(JsonObject config, List<String> enabledPlugins) {
    JsonObject admin = config.getJsonObject("admin", new JsonObject());
    int adminPort = admin.getInteger("port", 8009);
    int base = admin.getInteger("childMetricsPortBase", adminPort > 0 ? adminPort + 1 : 0);
    if (base == 0) {
      return List.of();
    }
    String host = admin.getString("host", "127.0.0.1");
    List<Target> targets = new ArrayList<>();
    for (String name : enabledPlugins) {
      List<String> pluginIds = PluginCatalog.pluginIds(name, pluginConfig(config, name));
      for (String instance : ChildSpec.instanceNames(name, PluginCatalog.instances(name, pluginConfig(config, name)))) {
        targets.add(new Target(instance, "plugin", pluginIds, host, base + targets.size()));
      }
    }
    if (enabledPlugins.contains("evmRpc") && !pluginConfig(config, "evmRpc").getBoolean("inline", false)) {
      JsonObject evmRpc = pluginConfig(config, "evmRpc");
      for (String pluginId : EvmRpcPluginVerticle.workerPluginIds(evmRpc)) {
        for (String instance : ChildSpec.instanceNames(pluginId, EvmRpcPluginVerticle.chainWorkerInstances(evmRpc))) {
          targets.add(new Target(instance, "chainworker", List.of(pluginId), host, base + targets.size()));
        }
      }
    }
    int hubPort = config.getJsonObject("hub", new JsonObject()).getInteger("port", 8008);
    for (Target target : targets) {
      if (target.port() < 1 || target.port() > 65_535 || target.port() == hubPort || target.port() == adminPort) {
        throw new IllegalArgumentException("admin.childMetricsPortBase " + base + " gives " + target.name() + " port " + target.port()
          + ", which is out of range or the hub's (hub.port " + hubPort + ", admin.port " + adminPort + "); set another base, or 0 for none");
      }
    }
    return targets;
  }

  /**
   * The chain workers' ports, for the evmRpc plugin JVM that starts them: {@code {host, optional, ports: {name: port}}},
   * by child name (the pluginId, or {@code <pluginId>-<n>} with several instances).
   */
  static JsonObject chainWorkerMetrics(List<Target> targets) {
    JsonObject ports = new JsonObject();
    String host = null;
    for (Target target : targets) {
      if (target.role().equals("chainworker")) {
        ports.put(target.name(), target.port());
        host = target.host();
      }
    }
    return ports.isEmpty() ? null : new JsonObject().put("host", host).put("optional", true).put("ports", ports);
  }

  private static JsonObject pluginConfig(JsonObject config, String name) {
    return config.getJsonObject("plugins", new JsonObject()).getJsonObject(name, new JsonObject());
  }
}
