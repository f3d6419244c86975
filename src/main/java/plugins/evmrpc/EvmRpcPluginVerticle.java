package plugins.evmrpc;

import supervision.ChildSpec;
import supervision.JvmOptions;
import supervision.SupervisorVerticle;
import chainworker.ChainWorkerVerticle;
import chainworker.LazyChainsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code evmRpc} plugin runs one chain worker per configured EVM chain, each in its own supervised JVM (so a stuck
 * or crashing chain costs only that chain), or, with {@code inline: true}, as verticles of this JVM. A chain marked
 * {@code lazy} gets neither: this JVM serves it itself, in one {@link LazyChainsVerticle} for all lazy chains, which
 * announces their pluginIds at once and builds a chain only on its first subscribe (stopping it after
 * {@code idleStopMs} without subscription), so twenty chains nobody uses cost twenty bus consumers, not twenty JVMs.
 * Config: {@code chains.<pluginId>} (the chain worker's config, see {@code chainworker.EvmSettings}, plus
 * {@code enabled} and {@code lazy}), {@code lazy} (every chain's default, false), {@code idleStopMs},
 * {@code apiKeys} shared by every chain, {@code inline}, {@code instances} (chain-worker JVMs per eager chain, default
 * 1). Without {@code chains}, the built-in set ({@value #BUILT_IN_CHAINS}: every EVM chain Edge serves, all lazy) is
 * used. {@code childCluster}, {@code supervisor} and {@code chainWorkerMetrics} (each worker JVM's /metrics port) are
 * filled in by the launcher.
 */
public final class EvmRpcPluginVerticle extends VerticleBase {

  /** The classpath resource with the evmRpc section used when the config names no {@code chains}. */
  static final String BUILT_IN_CHAINS = "evmrpc-chains.json";

  private static final JsonObject BUILT_IN = loadBuiltIn();

  /** The pluginIds served with this config (known to hubs before the chain workers announce themselves). */
  public static List<String> pluginIds(JsonObject config) {
    JsonObject effective = withBuiltInChains(config);
    JsonObject chains = effective.getJsonObject("chains");
    return chains.fieldNames().stream()
      .filter(pluginId -> chains.getJsonObject(pluginId).getBoolean("enabled", true))
      .sorted()
      .toList();
  }

  /** The pluginIds that get chain-worker JVMs (or inline workers) of their own: the enabled chains not marked lazy. */
  public static List<String> workerPluginIds(JsonObject config) {
    JsonObject effective = withBuiltInChains(config);
    return pluginIds(effective).stream().filter(pluginId -> !lazy(effective, pluginId)).toList();
  }

  /** The config as served: itself when it names {@code chains}, else the built-in section with its other keys over it. */
  public static JsonObject withBuiltInChains(JsonObject config) {
    return config.containsKey("chains") ? config : BUILT_IN.copy().mergeIn(config);
  }

  private static boolean lazy(JsonObject config, String pluginId) {
    return config.getJsonObject("chains").getJsonObject(pluginId).getBoolean("lazy", config.getBoolean("lazy", false));
  }

  private static JsonObject loadBuiltIn() {
    try (InputStream in = EvmRpcPluginVerticle.class.getClassLoader().getResourceAsStream(BUILT_IN_CHAINS)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + BUILT_IN_CHAINS);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** The {@link LazyChainsVerticle}'s config: the lazy chains' worker configs, and the plugin keys it reads. */
  static JsonObject lazyChainsConfig(JsonObject config, List<String> lazyPluginIds) {
    JsonObject chains = new JsonObject();
    lazyPluginIds.forEach(pluginId -> chains.put(pluginId, chainWorkerConfig(config, pluginId)));
    JsonObject lazy = new JsonObject().put("chains", chains);
    for (String key : List.of("idleStopMs", "scanTimeoutMs", "eventBatchSize", "eventFlushDelayMs", "announceIntervalMs", "drainMs")) {
      if (config.containsKey(key)) {
        lazy.put(key, config.getValue(key));
      }
    }
    return lazy;
  }

  @Override
  public Future<?> start() {
    JsonObject config = withBuiltInChains(config());
    List<String> pluginIds = workerPluginIds(config);
    List<String> lazyPluginIds = pluginIds(config).stream().filter(pluginId -> !pluginIds.contains(pluginId)).toList();
    Future<?> lazyChains = lazyPluginIds.isEmpty() ? Future.succeededFuture()
      : vertx.deployVerticle(new LazyChainsVerticle(), new DeploymentOptions().setConfig(lazyChainsConfig(config, lazyPluginIds)));
    return lazyChains.compose(v -> startWorkers(config, pluginIds));
  }

  private Future<?> startWorkers(JsonObject config, List<String> pluginIds) {
    if (pluginIds.isEmpty()) {
      return Future.succeededFuture();
    }
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
