package plugins;

import io.vertx.core.Deployable;
import plugins.fake.FakePluginVerticle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The plugins this jar can run, by the name used in config ({@code plugins.<name>}, {@code "plugin": "<name>"}). */
public final class PluginCatalog {

  private static final Map<String, Supplier<Deployable>> FACTORIES = new LinkedHashMap<>();
  private static final Set<String> ENABLED_BY_DEFAULT = Set.of("fake");

  static {
    FACTORIES.put("fake", FakePluginVerticle::new);
  }

  private PluginCatalog() {
  }

  public static Set<String> names() {
    return FACTORIES.keySet();
  }

  public static boolean enabledByDefault(String name) {
    return ENABLED_BY_DEFAULT.contains(name);
  }

  public static Optional<Deployable> create(String name) {
    return Optional.ofNullable(FACTORIES.get(name)).map(Supplier::get);
  }
}
