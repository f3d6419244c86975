package app;

import io.vertx.core.json.JsonObject;
import plugins.PluginCatalog;
import plugins.evmrpc.EvmRpcPluginVerticle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The server JVMs one {@code java -jar} starts on its machine or in its container, by heap role: the server JVM itself,
 * then, with {@code role: all} and {@code topology: processes}, one JVM per plugin instance ({@link RoleDeployer}), and
 * for a clustered evmRpc plugin one JVM per chain-worker instance per chain ({@link EvmRpcPluginVerticle}). What the
 * memory check ({@link supervision.MemoryBudget}) adds up.
 */
public final class ContainerJvms {

  private ContainerJvms() {
  }

  /**
   * @param config      the config as loaded ({@link ConfigLoader}, overrides applied)
   * @param clusterFlag whether {@code -cluster} was given
   * @return one role per JVM, this one first
   */
  public static List<String> roles(JsonObject config, boolean clusterFlag) {
    Role role = Role.fromConfig(config.getString("role", "all"));
    List<String> roles = new ArrayList<>();
    roles.add(role.heapRole());
    if (role == Role.ALL && RoleDeployer.needsCluster(config, false)) {
      for (String name : RoleDeployer.childJvmPlugins(config, RoleDeployer.enabledPlugins(config))) {
        JsonObject plugin = RoleDeployer.pluginConfig(config, name);
        roles.addAll(Collections.nCopies(PluginCatalog.instances(name, plugin), "plugin"));
        if (name.equals("evmRpc")) {
          roles.addAll(chainWorkers(plugin));
        }
      }
    }
    if (role == Role.PLUGIN && clusterFlag && "evmRpc".equals(config.getString("plugin"))) {
      roles.addAll(chainWorkers(RoleDeployer.pluginConfig(config, "evmRpc")));
    }
    return roles;
  }

  /** The evmRpc plugin's chain-worker JVMs: none when it runs them inline. */
  private static List<String> chainWorkers(JsonObject evmRpc) {
    if (evmRpc.getBoolean("inline", false)) {
      return List.of();
    }
    return Collections.nCopies(EvmRpcPluginVerticle.workerPluginIds(evmRpc).size() * EvmRpcPluginVerticle.chainWorkerInstances(evmRpc), "chainworker");
  }
}
