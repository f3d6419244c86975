package supervision;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The container's memory limit from cgroup files, and whether a container's JVMs fit it. */
class MemoryBudgetTest {

  private static final JsonObject HEAPS = new JsonObject().put("heapMb", new JsonObject().put("hub", 768).put("plugin", 512).put("chainworker", 256));

  @TempDir
  Path cgroup;

  @Test
  void cgroupV2LimitIsReadAndMaxMeansNone() throws Exception {
    Path v2 = Files.writeString(cgroup.resolve("memory.max"), "1073741824\n");
    Path v1 = Files.writeString(cgroup.resolve("memory.limit_in_bytes"), "536870912\n");
    assertThat(CgroupMemoryLimit.read(v2, v1)).hasValue(1073741824L);
    Files.writeString(v2, "max\n");
    assertThat(CgroupMemoryLimit.read(v2, v1)).as("v2 present: v1 is not looked at").isEmpty();
  }

  @Test
  void cgroupV1LimitIsReadWhenThereIsNoV2AndItsUnlimitedMeansNone() throws Exception {
    Path v2 = cgroup.resolve("absent");
    Path v1 = Files.writeString(cgroup.resolve("memory.limit_in_bytes"), "2147483648\n");
    assertThat(CgroupMemoryLimit.read(v2, v1)).hasValue(2147483648L);
    Files.writeString(v1, "9223372036854771712\n");
    assertThat(CgroupMemoryLimit.read(v2, v1)).isEmpty();
    assertThat(CgroupMemoryLimit.read(v2, cgroup.resolve("also-absent"))).isEqualTo(OptionalLong.empty());
  }

  @Test
  void heapsPlusNonHeapPlusTheLauncherAreAddedUp() {
    // hub 768 + 2 × plugin 512 + 3 × 150 + launcher 70.
    assertThat(MemoryBudget.requiredMb(List.of("hub", "plugin", "plugin"), null, true, HEAPS, 4096)).isEqualTo(2312);
    assertThat(MemoryBudget.requiredMb(List.of("hub", "plugin", "plugin"), null, false, HEAPS.copy().put("nonHeapMb", 100), 4096)).isEqualTo(2092);
    assertThat(MemoryBudget.requiredMb(List.of("hub", "plugin"), 2048, false, HEAPS, 4096)).as("a server JVM with the operator's own -Xmx").isEqualTo(2048 + 512 + 300);
  }

  @Test
  void theyFitAtTheirSumAndAreRefusedOneMegabyteBelowWithTheFiguresAndTheFixes() {
    List<String> roles = List.of("hub", "plugin", "plugin");
    assertThatCode(() -> MemoryBudget.check(roles, null, true, HEAPS, 2312)).doesNotThrowAnyException();
    assertThatThrownBy(() -> MemoryBudget.check(roles, null, true, HEAPS, 2311))
      .isInstanceOf(IllegalStateException.class)
      .hasMessage("memory limit of 2311 MB is too small for hub 768 MB + 2 × plugin 512 MB heap, plus 150 MB beyond the heap for each of the 3 JVMs"
        + " (supervisor.nonHeapMb) and 70 MB for the launcher JVM: 2312 MB. Raise the container's memory limit to at least 2312 MB,"
        + " or lower supervisor.heapMb (e.g. CHANGE_SERVER_supervisor__heapMb__plugin), or set supervisor.memoryCheck to false to start anyway");
  }

  @Test
  void memoryCheckFalseStartsAnyway() {
    assertThatCode(() -> MemoryBudget.check(List.of("hub"), null, true, HEAPS.copy().put("memoryCheck", false), 256)).doesNotThrowAnyException();
  }

  @Test
  void defaultHeapsAreTheSharesOfTheLimitThatEachJvmWillTake() {
    // In 2 GB the defaults are hub 614 (30 %), plugin 409 (20 %): the default topology fits, with 70 MB to spare.
    assertThat(MemoryBudget.requiredMb(List.of("hub", "plugin", "plugin"), null, true, new JsonObject(), 2048)).isEqualTo(614 + 409 + 409 + 450 + 70);
    assertThatThrownBy(() -> MemoryBudget.check(List.of("hub", "plugin", "plugin"), null, true, new JsonObject(), 1536))
      .hasMessageStartingWith("memory limit of 1536 MB is too small for hub 460 MB + 2 × plugin 307 MB heap");
  }

  @Test
  void anXmxAmongTheOperatorsOptionsIsTheHeapThatCounts() {
    JsonObject supervisor = HEAPS.copy()
      .put("roleOptions", new JsonObject().put("chainworker", new JsonArray().add("-Xmx128m")))
      .put("jvmOptions", new JsonArray().add("-XX:+UseSerialGC"));
    assertThat(MemoryBudget.effectiveHeapMb("chainworker", supervisor, 4096)).isEqualTo(128);
    assertThat(MemoryBudget.effectiveHeapMb("hub", supervisor, 4096)).isEqualTo(768);
    supervisor.put("jvmOptions", new JsonArray().add("-Xmx1g"));
    assertThat(MemoryBudget.effectiveHeapMb("chainworker", supervisor, 4096)).isEqualTo(1024);
    supervisor.put("jvmOptions", new JsonArray().add("-Xmx3000000"));
    assertThat(MemoryBudget.effectiveHeapMb("hub", supervisor, 4096)).as("bytes, rounded up").isEqualTo(3);
  }
}
