package testkit;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run as a separate JVM, as an operator would start it; output goes to
 * {@code target/it-logs/<name>.log}. Closing kills the process and any JVM it started.
 */
public final class JarProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private JarProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java -jar change-server.jar [-cluster] -conf <json>}. */
  public static JarProcess start(String name, JsonObject config, boolean cluster) throws IOException {
    return launch(name, command(config, cluster));
  }

  /**
   * Starts {@code java -jar change-server.jar -conf <json>} with no heap option, exactly as the README does: the jar
   * relaunches itself as the server JVM with the heap of its role.
   */
  public static JarProcess startAsOperatorsDo(String name, JsonObject config) throws IOException {
    return startAsOperatorsDo(name, config, Map.of());
  }

  /** The same, with these variables added to its environment (config overrides, {@code ${env:}} values). */
  public static JarProcess startAsOperatorsDo(String name, JsonObject config, Map<String, String> environment) throws IOException {
    return launch(name, List.of(javaBinary(), "-jar", jar(), "-conf", config.encode()), environment);
  }

  /**
   * Starts the same command inside host {@code host} of {@code hosts} (its network namespace), so the JVM sees only that
   * host's interfaces: the config's addresses must be {@link TestHosts#address}es. {@code ip netns exec} execs the
   * command, so the process is the JVM itself and {@link #kill} kills it.
   */
  public static JarProcess startOn(TestHosts hosts, int host, String name, JsonObject config, boolean cluster) throws IOException {
    return launch(name, hosts.command(host, command(config, cluster)));
  }

  private static List<String> command(JsonObject config, boolean cluster) {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", jar()));
    if (cluster) {
      command.add("-cluster");
    }
    command.add("-conf");
    command.add(config.encode());
    return command;
  }

  private static JarProcess launch(String name, List<String> command) throws IOException {
    return launch(name, command, Map.of());
  }

  private static JarProcess launch(String name, List<String> command, Map<String, String> environment) throws IOException {
    Path logs = Path.of("target", "it-logs");
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new JarProcess(name, process, log);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The JVMs this one started (a supervisor's children), as they are right now. */
  public List<ProcessHandle> children() {
    return process.children().toList();
  }

  /** {@code kill -9}: no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(10);
  }

  /** SIGTERM, then the exit code (null if it did not exit within the timeout). */
  public Integer terminate(int timeoutSeconds) {
    process.destroy();
    return waitForExit(timeoutSeconds) ? process.exitValue() : null;
  }

  public long pid() {
    return process.pid();
  }

  private boolean waitForExit(int timeoutSeconds) {
    try {
      return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The process's output so far, to explain a failure. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }

  private static String jar() {
    String jar = System.getProperty("changeserver.jar", "target/change-server.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` first (integration tests use the built jar)");
    }
    return jar;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
