package app;

import hub.HubVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import plugins.PluginCatalog;

import java.util.ArrayList;
import java.util.List;

/** Deploys the verticles of this JVM's role, each with its own config section. */
final class RoleDeployer {

  private RoleDeployer() {
  }

  static Future<Void> deploy(Vertx vertx, JsonObject config) {
    Role role = Role.fromConfig(config.getString("role", "all"));
    JsonObject plugins = config.getJsonObject("plugins", new JsonObject());
    List<Future<String>> deployed = new ArrayList<>();
    switch (role) {
      case ALL -> {
        deployed.add(deployHub(vertx, config));
        for (String name : PluginCatalog.names()) {
          JsonObject pluginConfig = plugins.getJsonObject(name, new JsonObject());
          if (pluginConfig.getBoolean("enabled", PluginCatalog.enabledByDefault(name))) {
            deployed.add(deployPlugin(vertx, name, pluginConfig));
          }
        }
      }
      case HUB -> deployed.add(deployHub(vertx, config));
      case PLUGIN -> {
        String name = config.getString("plugin");
        if (name == null) {
          return Future.failedFuture("role plugin needs \"plugin\": one of " + PluginCatalog.names());
        }
        deployed.add(deployPlugin(vertx, name, plugins.getJsonObject(name, new JsonObject())));
      }
    }
    return Future.all(deployed).mapEmpty();
  }

  private static Future<String> deployHub(Vertx vertx, JsonObject config) {
    JsonObject hub = config.getJsonObject("hub", new JsonObject());
    return vertx.deployVerticle(HubVerticle::new, new DeploymentOptions().setConfig(hub).setInstances(hub.getInteger("instances", 1)));
  }

  private static Future<String> deployPlugin(Vertx vertx, String name, JsonObject pluginConfig) {
    return PluginCatalog.create(name)
      .map(verticle -> vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(pluginConfig)))
      .orElseGet(() -> Future.failedFuture("unknown plugin \"" + name + "\": expected one of " + PluginCatalog.names()));
  }
}
