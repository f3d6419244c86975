package plugins;

import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import plugins.alchemy.AlchemyPluginVerticle;
import plugins.blockbook.BlockbookPluginVerticle;
import plugins.evmrpc.EvmRpcPluginVerticle;
import plugins.fake.FakeChain;
import plugins.fake.FakePluginVerticle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** The plugins this jar can run, by the name used in config ({@code plugins.<name>}, {@code "plugin": "<name>"}). */
public final class PluginCatalog {

  /**
   * @param factory          a fresh verticle
   * @param enabledByDefault whether {@code role: all} runs it when its config says nothing
   * @param pluginIds        the pluginIds it serves with a given config (known to hubs before it announces itself)
   */
  private record Entry(Supplier<Deployable> factory, boolean enabledByDefault, Function<JsonObject, List<String>> pluginIds) {
  }

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    ENTRIES.put("fake", new Entry(FakePluginVerticle::new, true, config -> List.of(FakeChain.PLUGIN_ID)));
    ENTRIES.put("blockbook", new Entry(BlockbookPluginVerticle::new, true, BlockbookPluginVerticle::pluginIds));
    // Without chains in its config it serves the built-in set, every chain lazy (started on its first subscribe).
    ENTRIES.put("evmRpc", new Entry(EvmRpcPluginVerticle::new, true, EvmRpcPluginVerticle::pluginIds));
    // Enabled: unkeyed it serves what no other plugin does (solana: valid addresses answer 2), inside the hub's JVM;
    // keyed it takes its EVM networks from evmRpc's built-in chains (see builtInsYieldingToConfigured).
    ENTRIES.put("alchemy", new Entry(AlchemyPluginVerticle::new, true, AlchemyPluginVerticle::pluginIds));
  }

  private PluginCatalog() {
  }

  public static Set<String> names() {
    return ENTRIES.keySet();
  }

  /** Whether {@code role: all} runs this plugin, given its config section. */
  public static boolean isEnabled(String name, JsonObject pluginConfig) {
    return pluginConfig.getBoolean("enabled", ENTRIES.get(name).enabledByDefault());
  }

  public static List<String> pluginIds(String name, JsonObject pluginConfig) {
    return ENTRIES.get(name).pluginIds().apply(pluginConfig);
  }

  /**
   * How many instances of this plugin {@code role: all} runs ({@code instances}, default 1), each its own JVM (or
   * verticle, inline) owning its share of the addresses. The evmRpc plugin is one JVM whatever it says: its
   * {@code instances} are chain workers per chain.
   */
  public static int instances(String name, JsonObject pluginConfig) {
    return name.equals("evmRpc") ? 1 : Math.max(1, pluginConfig.getInteger("instances", 1));
  }

  /**
   * Whether {@code role: all} runs this plugin inside the hub's JVM rather than a child JVM of its own
   * ({@code inHubJvm}): by default only an unkeyed alchemy plugin, which watches nothing and only answers for its
   * networks, and is not worth a JVM.
   */
  public static boolean runsInHubJvm(String name, JsonObject pluginConfig) {
    return pluginConfig.getBoolean("inHubJvm", name.equals("alchemy") && !AlchemyPluginVerticle.keyed(pluginConfig));
  }

  /**
   * The whole config with the evmRpc plugin's built-in chains (used when its section names no {@code chains}) and an
   * enabled alchemy plugin sharing the EVM networks out: a keyed alchemy plugin takes its networks (an operator who sets
   * an Alchemy token should not have to list 13 chains to turn them off in evmRpc), an unkeyed one leaves whatever
   * evmRpc serves to its polling. Chains and networks configured by hand are left as they are (a conflict is then
   * refused).
   */
  public static JsonObject builtInsYieldingToConfigured(JsonObject config) {
    JsonObject plugins = config.getJsonObject("plugins", new JsonObject());
    JsonObject alchemy = plugins.getJsonObject("alchemy", new JsonObject());
    JsonObject evmRpc = plugins.getJsonObject("evmRpc", new JsonObject());
    boolean keyed = AlchemyPluginVerticle.keyed(alchemy);
    if (!isEnabled("alchemy", alchemy) || !isEnabled("evmRpc", evmRpc) || (keyed && evmRpc.containsKey("chains"))) {
      return config;
    }
    JsonObject resolved = config.copy();
    if (keyed) {
      JsonObject served = EvmRpcPluginVerticle.withBuiltInChains(evmRpc);
      pluginIds("alchemy", alchemy).forEach(served.getJsonObject("chains")::remove);
      resolved.put("plugins", plugins.copy().put("evmRpc", served));
    } else {
      // Unkeyed, Alchemy would only answer 2 where evmRpc polls: it keeps what nobody else serves (solana).
      JsonObject networks = alchemy.getJsonObject("networks", new JsonObject()).copy();
      pluginIds("evmRpc", evmRpc).stream().filter(pluginId -> !networks.containsKey(pluginId))
        .forEach(pluginId -> networks.put(pluginId, new JsonObject().put("enabled", false)));
      resolved.put("plugins", plugins.copy().put("alchemy", alchemy.copy().put("networks", networks)));
    }
    return resolved;
  }

  /**
   * Refuses plugins that would serve one pluginId twice (alchemy and evmRpc both configured for ethereum, say): two
   * plugins would each watch it and each notify its subscribers. {@code plugins}: enabled plugin name → its config.
   */
  public static void requireOnePluginPerPluginId(Map<String, JsonObject> plugins) {
    Map<String, String> servedBy = new LinkedHashMap<>();
    plugins.forEach((name, config) -> pluginIds(name, config).forEach(pluginId -> {
      String other = servedBy.putIfAbsent(pluginId, name);
      if (other != null) {
        throw new IllegalArgumentException("pluginId " + pluginId + " is configured in both plugins." + other + " and plugins." + name
          + ": serve it with one of them (disable it in the other's chains or networks)");
      }
    }));
  }

  public static Optional<Deployable> create(String name) {
    return Optional.ofNullable(ENTRIES.get(name)).map(entry -> entry.factory().get());
  }
}
