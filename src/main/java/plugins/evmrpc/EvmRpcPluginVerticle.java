package plugins.evmrpc;

import supervision.ChildSpec;
import supervision.JvmOptions;
import supervision.SupervisorVerticle;
import chainworker.ChainWorkerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code evmRpc} plugin serves no chain itself: it runs one chain worker per configured EVM chain, each in its own
 * supervised JVM (so a stuck or crashing chain costs only that chain), or, with {@code inline: true}, as verticles of
 * this JVM. Config: {@code chains.<pluginId>} (the chain worker's config, see {@code chainworker.EvmSettings}),
 * {@code apiKeys} shared by every chain, {@code inline}, {@code instances} (chain-worker JVMs per chain, default 1);
 * {@code childCluster}, {@code supervisor} and
 * {@code chainWorkerMetrics} (each worker JVM's /metrics port) are filled in by the launcher.
 */
public final class EvmRpcPluginVerticle extends VerticleBase {

  /** The pluginIds served with this config (known to hubs before the chain workers announce themselves). */
  public static List<String> pluginIds(JsonObject config) {
    JsonObject chains = config.getJsonObject("chains", new JsonObject());
    return chains.fieldNames().stream()
      .filter(pluginId -> chains.getJsonObject(pluginId).getBoolean("enabled", true))
      .sorted()
      .toList();
  }

  /** How many chain-worker JVMs serve each chain ({@code instances}, default 1): each owns its share of the addresses. */
  public static int chainWorkerInstances(JsonObject config) {
    return Math.max(1, config.getInteger("instances", 1));
  }

  /** One chain worker's config: its section of {@code chains}, with its pluginId and the shared API keys. */
  static JsonObject chainWorkerConfig(JsonObject config, String pluginId) {
    JsonObject apiKeys = config.getJsonObject("apiKeys", new JsonObject()).copy();
    JsonObject chain = config.getJsonObject("chains").getJsonObject(pluginId).copy();
    chain.getJsonObject("apiKeys", new JsonObject()).forEach(key -> apiKeys.put(key.getKey(), key.getValue()));
    return chain.put("pluginId", pluginId).put("apiKeys", apiKeys);
  }

  /**
   * A chain worker's {@code metrics} section from {@code chainWorkerMetrics} ({@code {host, optional, ports: {pluginId:
   * port}}}, filled in by the launcher in {@code role: all}), or null: that worker serves no /metrics of its own.
   */
  static JsonObject chainWorkerMetrics(JsonObject config, String childName) {
    JsonObject metrics = config.getJsonObject("chainWorkerMetrics");
    Integer port = metrics == null ? null : metrics.getJsonObject("ports", new JsonObject()).getInteger(childName);
    if (port == null) {
      return null;
    }
    return new JsonObject().put("host", metrics.getString("host", "127.0.0.1")).put("port", port).put("optional", metrics.getBoolean("optional", false));
  }

  @Override
  public Future<?> start() {
    JsonObject config = config();
    List<String> pluginIds = pluginIds(config);
    if (config.getBoolean("inline", false) || !config.containsKey("childCluster")) {
      List<Future<String>> deployed = new ArrayList<>();
      for (String pluginId : pluginIds) {
        deployed.add(vertx.deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(chainWorkerConfig(config, pluginId))));
      }
      return Future.all(deployed);
    }
    JsonObject supervisor = config.getJsonObject("supervisor", new JsonObject());
    List<String> jvmOptions = JvmOptions.forRole("chainworker", supervisor);
    List<ChildSpec> children = new ArrayList<>();
    for (String pluginId : pluginIds) {
      for (String name : ChildSpec.instanceNames(pluginId, chainWorkerInstances(config))) {
        JsonObject child = new JsonObject()
          .put("role", "chainworker")
          .put("chainworker", chainWorkerConfig(config, pluginId))
          .put("cluster", config.getJsonObject("childCluster"))
          .put("memoryGuard", config.getJsonObject("memoryGuard", new JsonObject()))
          .put("vertxOptions", config.getJsonObject("vertxOptions", new JsonObject()));
        JsonObject metrics = chainWorkerMetrics(config, name);
        if (metrics != null) {
          child.put("metrics", metrics);
        }
        children.add(new ChildSpec(name, child, jvmOptions));
      }
    }
    return SupervisorVerticle.deploy(vertx, children, supervisor);
  }
}
