package supervision;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JVM options of one role, from the config's {@code supervisor} section: every JVM we start (the server JVM that
 * {@code java -jar} relaunches, each plugin and chain worker) gets a bounded heap sized for its role, the shared class
 * archive when one was built for this JVM and jar ({@link ClassDataArchive}), then the operator's own
 * {@code jvmOptions}, which come last and so win (an {@code -Xmx} there replaces ours).
 *
 * <p>Defaults, in MB of maximum heap: hub 512 (about 300 bytes per subscription and ~10 KB per socket live, docs/BENCHMARKS.md),
 * plugin 256, chain worker 256. {@code supervisor.heapMb.<role>} overrides one.
 */
public final class JvmOptions {

  /** Default maximum heap per role, in MB. */
  static final Map<String, Integer> DEFAULT_HEAP_MB = Map.of("hub", 512, "plugin", 256, "chainworker", 256);
  /** Class metadata of Vert.x, Hazelcast and web3j needs ~60-90 MB; the bound keeps a leak from growing unseen. */
  private static final String METASPACE_BOUND = "-XX:MaxMetaspaceSize=256m";

  private JvmOptions() {
  }

  /** The options of a JVM of {@code role} ({@code hub}, {@code plugin} or {@code chainworker}). */
  public static List<String> forRole(String role, JsonObject supervisor) {
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + heapMb(role, supervisor) + "m");
    options.add(METASPACE_BOUND);
    options.addAll(ClassDataArchive.forThisJvm().runtimeOptions());
    supervisor.getJsonArray("jvmOptions", new JsonArray()).forEach(option -> options.add(String.valueOf(option)));
    return options;
  }

  /** The maximum heap of {@code role}, in MB. */
  public static int heapMb(String role, JsonObject supervisor) {
    String key = role.toLowerCase(Locale.ROOT);
    Integer fallback = DEFAULT_HEAP_MB.get(key);
    if (fallback == null) {
      throw new IllegalArgumentException("no heap size for role " + role);
    }
    int heapMb = supervisor.getJsonObject("heapMb", new JsonObject()).getInteger(key, fallback);
    if (heapMb < 64) {
      throw new IllegalArgumentException("supervisor.heapMb." + key + " must be at least 64");
    }
    return heapMb;
  }
}
