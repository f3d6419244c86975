package supervision;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Whether the JVMs one container runs fit its memory limit: each JVM's maximum heap plus a non-heap allowance
 * ({@code supervisor.nonHeapMb}, default 150: metaspace, code cache, thread stacks, GC structures and Netty's direct
 * buffers of an idle-to-busy JVM here), plus the waiting launcher JVM (~70 MB) when {@code java -jar} relaunches itself.
 *
 * <p>When they do not fit, start-up is refused with the figures rather than heaps being scaled down: each role's heap is
 * sized for a load it was measured under (a 256 MB plugin heap died of OutOfMemoryError holding 1,000 × 1,000
 * subscriptions), so a smaller one fails later, under load, in a reconnect storm; and heaps that overcommit the limit
 * end with the kernel killing the container when they grow. A refusal at start-up names both fixes: a larger limit, or
 * smaller {@code supervisor.heapMb}. {@code supervisor.memoryCheck: false} starts anyway.
 */
public final class MemoryBudget {

  /** Memory beyond its heap that one of our JVMs needs, in MB, unless {@code supervisor.nonHeapMb} says otherwise. */
  public static final int DEFAULT_NON_HEAP_MB = 150;
  /** The first JVM of {@code java -jar}, which only waits for the server it relaunched (measured: 68 MB of RSS). */
  public static final int LAUNCHER_MB = 70;

  private MemoryBudget() {
  }

  /**
   * Checks the JVMs of this container against its cgroup limit, if it has one.
   *
   * @param roles         the role of each JVM ({@code hub}, {@code plugin}, {@code chainworker}), one entry per JVM
   * @param serverHeapMb  the first JVM's heap when it is already running with one the operator chose (no relaunch), else null
   * @param launcher      whether a launcher JVM waits beside them
   * @throws IllegalStateException when they do not fit, with the figures and the fixes
   */
  public static void check(List<String> roles, Integer serverHeapMb, boolean launcher, JsonObject supervisor) {
    OptionalLong limit = CgroupMemoryLimit.ofThisContainer();
    if (limit.isPresent()) {
      check(roles, serverHeapMb, launcher, supervisor, limit.getAsLong() / (1024 * 1024));
    }
  }

  /** The same against a limit of {@code limitMb}. */
  public static void check(List<String> roles, Integer serverHeapMb, boolean launcher, JsonObject supervisor, long limitMb) {
    if (!supervisor.getBoolean("memoryCheck", true)) {
      return;
    }
    long requiredMb = requiredMb(roles, serverHeapMb, launcher, supervisor, limitMb);
    if (requiredMb > limitMb) {
      throw new IllegalStateException("memory limit of " + limitMb + " MB is too small for " + describe(roles, serverHeapMb, supervisor, limitMb)
        + " heap, plus " + nonHeapMb(supervisor) + " MB beyond the heap for each of the " + roles.size() + " JVMs (supervisor.nonHeapMb)"
        + (launcher ? " and " + LAUNCHER_MB + " MB for the launcher JVM" : "") + ": " + requiredMb + " MB."
        + " Raise the container's memory limit to at least " + requiredMb + " MB, or lower supervisor.heapMb"
        + " (e.g. CHANGE_SERVER_supervisor__heapMb__" + roles.get(roles.size() - 1) + "), or set supervisor.memoryCheck to false to start anyway");
    }
  }

  /** What these JVMs need at most, in MB, on a machine or container of {@code memoryMb}. */
  public static long requiredMb(List<String> roles, Integer serverHeapMb, boolean launcher, JsonObject supervisor, long memoryMb) {
    long total = launcher ? LAUNCHER_MB : 0;
    for (int i = 0; i < roles.size(); i++) {
      total += heapMb(i, roles, serverHeapMb, supervisor, memoryMb) + nonHeapMb(supervisor);
    }
    return total;
  }

  private static int nonHeapMb(JsonObject supervisor) {
    return supervisor.getInteger("nonHeapMb", DEFAULT_NON_HEAP_MB);
  }

  private static long heapMb(int index, List<String> roles, Integer serverHeapMb, JsonObject supervisor, long memoryMb) {
    return index == 0 && serverHeapMb != null ? serverHeapMb : effectiveHeapMb(roles.get(index), supervisor, memoryMb);
  }

  /** "hub 768 MB + 2 × plugin 512 MB". */
  private static String describe(List<String> roles, Integer serverHeapMb, JsonObject supervisor, long memoryMb) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < roles.size(); i++) {
      counts.merge(roles.get(i) + " " + heapMb(i, roles, serverHeapMb, supervisor, memoryMb) + " MB", 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((jvm, count) -> parts.add(count == 1 ? jvm : count + " × " + jvm));
    return String.join(" + ", parts);
  }

  /**
   * The heap a JVM of {@code role} gets: the last {@code -Xmx} of its role options and the operator's
   * {@code jvmOptions} (they come after ours, so they win), else {@link JvmOptions#heapMb}.
   */
  static long effectiveHeapMb(String role, JsonObject supervisor, long memoryMb) {
    List<Object> options = new ArrayList<>();
    JsonArray roleOptions = supervisor.getJsonObject("roleOptions", new JsonObject()).getJsonArray(role.toLowerCase(Locale.ROOT));
    if (roleOptions != null) {
      options.addAll(roleOptions.getList());
    }
    options.addAll(supervisor.getJsonArray("jvmOptions", new JsonArray()).getList());
    Long explicit = null;
    for (Object option : options) {
      String text = String.valueOf(option);
      if (text.startsWith("-Xmx")) {
        explicit = sizeMb(text.substring("-Xmx".length()));
      }
    }
    return explicit != null ? explicit : JvmOptions.heapMb(role, supervisor, memoryMb);
  }

  /** A JVM size ({@code 512m}, {@code 2g}, {@code 1048576k}, bytes) in MB, rounded up. */
  private static long sizeMb(String size) {
    String lower = size.toLowerCase(Locale.ROOT);
    char unit = lower.charAt(lower.length() - 1);
    long bytes;
    if (Character.isDigit(unit)) {
      bytes = Long.parseLong(lower);
    } else {
      long number = Long.parseLong(lower.substring(0, lower.length() - 1));
      bytes = switch (unit) {
        case 'k' -> number << 10;
        case 'm' -> number << 20;
        case 'g' -> number << 30;
        case 't' -> number << 40;
        default -> throw new IllegalArgumentException("not a JVM size: -Xmx" + size);
      };
    }
    return (bytes + (1 << 20) - 1) >> 20;
  }
}
