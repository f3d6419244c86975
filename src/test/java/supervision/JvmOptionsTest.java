package supervision;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each role's JVM options from the {@code supervisor} section: bounded heap by role, the operator's options last. */
class JvmOptionsTest {

  @Test
  void everyRoleHasABoundedHeapByDefault() {
    assertThat(JvmOptions.forRole("hub", new JsonObject())).startsWith("-Xmx768m", "-XX:MaxMetaspaceSize=256m");
    assertThat(JvmOptions.forRole("plugin", new JsonObject())).startsWith("-Xmx512m").contains("-XX:+ExitOnOutOfMemoryError");
    assertThat(JvmOptions.forRole("chainworker", new JsonObject())).startsWith("-Xmx256m");
  }

  @Test
  void heapMbSetsOneRoleAndTheOperatorsOptionsComeLastSoTheyWin() {
    JsonObject supervisor = new JsonObject()
      .put("heapMb", new JsonObject().put("plugin", 1024))
      .put("jvmOptions", new JsonArray().add("-XX:+UseSerialGC").add("-Xmx2g"));
    assertThat(JvmOptions.forRole("plugin", supervisor)).startsWith("-Xmx1024m").endsWith("-XX:+UseSerialGC", "-Xmx2g");
    assertThat(JvmOptions.forRole("hub", supervisor)).startsWith("-Xmx768m");
  }

  @Test
  void theParallelCollectorEverywhereAndC1AloneOnTwoCoresOrFewerUnlessTheRoleSaysOtherwise() {
    assertThat(JvmOptions.defaultRoleOptions(2)).containsExactly("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1");
    assertThat(JvmOptions.defaultRoleOptions(8)).containsExactly("-XX:+UseParallelGC");
    JsonObject supervisor = new JsonObject().put("roleOptions", new JsonObject().put("hub", new JsonArray().add("-XX:+UseG1GC")));
    assertThat(JvmOptions.forRole("hub", supervisor)).contains("-XX:+UseG1GC").doesNotContain("-XX:+UseParallelGC");
    assertThat(JvmOptions.forRole("plugin", supervisor)).contains("-XX:+UseParallelGC");
  }

  @Test
  void aCollectorTheOperatorChoseReplacesOursSinceTheJvmRefusesTwo() {
    assertThat(JvmOptions.forRole("hub", new JsonObject(), List.of("-XX:+UseG1GC", "-Dfoo=bar")))
      .doesNotContain("-XX:+UseParallelGC").endsWith("-XX:+UseG1GC", "-Dfoo=bar");
    assertThat(JvmOptions.forRole("plugin", new JsonObject().put("jvmOptions", new JsonArray().add("-XX:+UseSerialGC"))))
      .doesNotContain("-XX:+UseParallelGC").endsWith("-XX:+UseSerialGC");
  }

  @Test
  void inASmallContainerADefaultHeapShrinksToItsShareButAConfiguredOneIsKept() {
    assertThat(JvmOptions.heapMb("hub", new JsonObject(), 2048)).isEqualTo(614);
    assertThat(JvmOptions.heapMb("plugin", new JsonObject(), 2048)).isEqualTo(409);
    assertThat(JvmOptions.heapMb("chainworker", new JsonObject(), 2048)).isEqualTo(204);
    assertThat(JvmOptions.heapMb("hub", new JsonObject(), 24 * 1024)).isEqualTo(768);
    assertThat(JvmOptions.heapMb("hub", new JsonObject().put("heapMb", new JsonObject().put("hub", 1500)), 2048)).isEqualTo(1500);
  }

  @Test
  void aHeapTooSmallToStartOrAnUnknownRoleIsAConfigError() {
    assertThatThrownBy(() -> JvmOptions.forRole("hub", new JsonObject().put("heapMb", new JsonObject().put("hub", 16))))
      .hasMessageContaining("supervisor.heapMb.hub must be at least 64");
    assertThatThrownBy(() -> JvmOptions.forRole("nobody", new JsonObject())).hasMessageContaining("nobody");
  }

  @Test
  void testsRunFromClassFoldersSoNoArchiveIsOfferedAndTheClasspathIsKept() {
    ClassDataArchive archive = ClassDataArchive.forThisJvm();
    assertThat(archive.runtimeOptions()).isEmpty();
    assertThat(archive.classPath()).isEqualTo(System.getProperty("java.class.path"));
  }
}
