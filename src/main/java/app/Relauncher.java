package app;

import hub.HubSettings;
import io.vertx.core.json.JsonObject;
import supervision.JavaCommand;
import supervision.JvmOptions;
import supervision.ParentWatch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar change-server.jar} with no heap option starts the server in a second JVM of the right shape: the heap
 * of its role from the config ({@link JvmOptions}: a JVM's default is a quarter of the machine, which a hub under a
 * reconnect storm grows into and keeps), and the class-data archive. This first JVM then only waits: it forwards
 * SIGTERM, exits with the server's exit code, and its death (even {@code kill -9}) ends the server ({@link ParentWatch}).
 * An operator who sets the heap ({@code -Xmx}, {@code -XX:MaxRAMPercentage}, …) or {@code supervisor.relaunch: false}
 * runs the server in the first JVM, as before. This JVM loads no logging stack and no Vert.x beyond its JSON: it
 * costs ~40-50 MB of RSS, where a server JVM bounded by {@code -Xmx512m} saves gigabytes of heap growth.
 */
final class Relauncher {

  private static final List<String> HEAP_OPTIONS = List.of("-Xmx", "-XX:MaxHeapSize", "-XX:MaxRAM", "-XX:MaxRAMPercentage",
    "-XX:MaxRAMFraction");
  /** The server's own shutdown is bounded by 30 s (Main), after a hub's drain; past that it is killed. */
  private static final long STOP_GRACE_MS = 40_000;

  private Relauncher() {
  }

  static boolean wanted(JsonObject config) {
    if (Boolean.getBoolean(ParentWatch.PROPERTY)) {
      return false;
    }
    if (!config.getJsonObject("supervisor", new JsonObject()).getBoolean("relaunch", true)) {
      return false;
    }
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
      .noneMatch(argument -> HEAP_OPTIONS.stream().anyMatch(argument::startsWith));
  }

  /** Runs the server JVM until it exits; returns its exit code. */
  static int run(JsonObject config, Role role, List<String> arguments) throws IOException, InterruptedException {
    // What the operator gave this JVM (system properties, a logback file, a collector) applies to the server too.
    List<String> options = JvmOptions.forRole(role.heapRole(), config.getJsonObject("supervisor", new JsonObject()),
      ManagementFactory.getRuntimeMXBean().getInputArguments());
    // stdin stays a pipe that is never written: the server exits when it reads end-of-file (ParentWatch).
    Process server = new ProcessBuilder(JavaCommand.supervised(options, arguments))
      .redirectOutput(ProcessBuilder.Redirect.INHERIT)
      .redirectError(ProcessBuilder.Redirect.INHERIT)
      .start();
    long graceMs = STOP_GRACE_MS + HubSettings.drainDurationMs(config.getJsonObject("hub", new JsonObject()));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, graceMs), "change-server-relaunch-stop"));
    // From here this JVM only waits: give back the heap that parsing the config touched (RSS of the whole tree).
    System.gc();
    return server.waitFor();
  }

  /** This JVM is exiting (SIGTERM, Ctrl-C): the server gets SIGTERM and the time to shut down cleanly. */
  private static void stop(Process server, long graceMs) {
    if (!server.isAlive()) {
      return;
    }
    server.destroy();
    try {
      if (!server.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
        server.destroyForcibly();
      }
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
