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
 * <p>Defaults, in MB of maximum heap: hub 768 (at 512 a cold 5,000 sockets × 100 left G1 ~25 MB of young generation
 * and 88 pauses), plugin 512 (at 256 the fake plugin died of OutOfMemoryError holding 1,000 × 1,000 subscriptions), chain
 * worker 256, each never above its role's share of the machine's or container's memory; {@code supervisor.heapMb.<role>}
 * overrides one. Then the collector and compiler options of {@link #defaultRoleOptions}, which
 * {@code supervisor.roleOptions.<role>} replaces.
 */
public final class JvmOptions {

  /** Default maximum heap per role, in MB. */
  static final Map<String, Integer> DEFAULT_HEAP_MB = Map.of("hub", 768, "plugin", 512, "chainworker", 256);
  /** The largest part of the machine's (or container's) memory, in percent, a role's default heap may take. */
  static final Map<String, Integer> DEFAULT_MEMORY_SHARE = Map.of("hub", 30, "plugin", 20, "chainworker", 10);
  /**
   * The collector of every role: on the cold 5,000 × 100 run the parallel collector used less CPU and less RSS than G1
   * at the same heap (hub 512 MB: 11.5 s and 1,161 MB against 15.8 s and 1,218 MB; docs/BENCHMARKS.md, "Cold path").
   */
  private static final List<String> COLLECTOR = List.of("-XX:+UseParallelGC");
  /**
   * On two cores or fewer, C2's compiler threads take the CPU the event loops need exactly when every wallet
   * reconnects: C1 alone halved connect and clean-up CPU and cut the warm 5,000 × 100 subscribe phase from 10.6 s to
   * 5.4 s there. With more cores, tiered compilation (C1, then C2) pays off.
   */
  private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
  /**
   * A JVM out of heap exits (and a supervised one is restarted) instead of living on in back-to-back full collections,
   * which at 256 MB under 1,000 × 1,000 kept the fake plugin's CPU busy for minutes, answering nothing.
   */
  private static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";
  /** Class metadata of Vert.x, Hazelcast and web3j needs ~60-90 MB; the bound keeps a leak from growing unseen. */
  private static final String METASPACE_BOUND = "-XX:MaxMetaspaceSize=256m";

  private JvmOptions() {
  }

  /** The options of a JVM of {@code role} ({@code hub}, {@code plugin} or {@code chainworker}). */
  public static List<String> forRole(String role, JsonObject supervisor) {
    return forRole(role, supervisor, List.of());
  }

  /**
   * The same, with {@code moreOptions} last (what the operator gave the JVM that relaunches itself). A collector chosen
   * by the operator replaces ours: the JVM refuses to start with two.
   */
  public static List<String> forRole(String role, JsonObject supervisor, List<String> moreOptions) {
    List<String> operatorOptions = new ArrayList<>();
    supervisor.getJsonArray("jvmOptions", new JsonArray()).forEach(option -> operatorOptions.add(String.valueOf(option)));
    operatorOptions.addAll(moreOptions);
    boolean operatorCollector = operatorOptions.stream().anyMatch(option -> option.startsWith("-XX:+Use") && option.endsWith("GC"));
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + heapMb(role, supervisor) + "m");
    options.add(METASPACE_BOUND);
    options.add(EXIT_ON_OUT_OF_MEMORY);
    options.addAll(ClassDataArchive.forThisJvm().runtimeOptions());
    JsonArray roleOptions = supervisor.getJsonObject("roleOptions", new JsonObject()).getJsonArray(role.toLowerCase(Locale.ROOT));
    if (roleOptions != null) {
      roleOptions.forEach(option -> options.add(String.valueOf(option)));
    } else {
      defaultRoleOptions(Runtime.getRuntime().availableProcessors()).stream()
        .filter(option -> !(operatorCollector && COLLECTOR.contains(option)))
        .forEach(options::add);
    }
    options.addAll(operatorOptions);
    return options;
  }

  /**
   * Physical memory, or the container's limit: the JVM reads the cgroup limit when there is one, and so does
   * {@link CgroupMemoryLimit}, the one {@link MemoryBudget} checks against; the smaller wins, so that a default heap is
   * the same share of the limit here as in that check even where the JVM's own detection misses the limit.
   */
  private static long machineMemoryMb() {
    long memoryMb = Long.MAX_VALUE / (1024 * 1024 * 100);
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean memory) {
      memoryMb = memory.getTotalMemorySize() / (1024 * 1024);
    }
    java.util.OptionalLong limit = CgroupMemoryLimit.ofThisContainer();
    return limit.isPresent() ? Math.min(memoryMb, limit.getAsLong() / (1024 * 1024)) : memoryMb;
  }

  /** Collector and compiler options of every role on a machine of {@code processors}. */
  static List<String> defaultRoleOptions(int processors) {
    List<String> options = new ArrayList<>(COLLECTOR);
    if (processors <= 2) {
      options.add(C1_ONLY);
    }
    return options;
  }

  /** The maximum heap of {@code role}, in MB. */
  public static int heapMb(String role, JsonObject supervisor) {
    return heapMb(role, supervisor, machineMemoryMb());
  }

  /**
   * The maximum heap of {@code role} on a machine (or in a container) of {@code memoryMb}: the configured size, else the
   * role's default, but a default never above its share of the memory ({@link #DEFAULT_MEMORY_SHARE}), so that the
   * default topology fits a small container (in 2 GB: hub 614 MB, each plugin 409 MB).
   */
  static int heapMb(String role, JsonObject supervisor, long memoryMb) {
    String key = role.toLowerCase(Locale.ROOT);
    Integer fallback = DEFAULT_HEAP_MB.get(key);
    if (fallback == null) {
      throw new IllegalArgumentException("no heap size for role " + role);
    }
    int share = (int) Math.max(64, memoryMb * DEFAULT_MEMORY_SHARE.get(key) / 100);
    int heapMb = supervisor.getJsonObject("heapMb", new JsonObject()).getInteger(key, Math.min(fallback, share));
    if (heapMb < 64) {
      throw new IllegalArgumentException("supervisor.heapMb." + key + " must be at least 64");
    }
    return heapMb;
  }
}
