package supervision;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One supervised child JVM: this same jar (or classpath) started with {@code -cluster -conf <config>}.
 *
 * @param name       shown as the prefix of the child's output lines
 * @param config     the child's whole config (its role, its plugin, the cluster to join)
 * @param jvmOptions its JVM options ({@link JvmOptions#forRole})
 */
public record ChildSpec(String name, JsonObject config, List<String> jvmOptions) {

  /**
   * The names of {@code count} instances of one child: the name itself for one, {@code <name>-1}, {@code <name>-2}, …
   * for several (they prefix the children's log lines and key their metrics ports).
   */
  public static List<String> instanceNames(String name, int count) {
    if (count <= 1) {
      return List.of(name);
    }
    return java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> name + "-" + i).toList();
  }
}
