package supervision;

import app.ConfigOverrides;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.Backoff;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One supervised child JVM: started, its output copied to ours line by line with a {@code [name]} prefix, restarted
 * with backoff whenever it exits until {@link #stop} is called. Runs on the supervisor verticle's context.
 */
final class ChildProcess {

  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  private static final String PROCESS_FIELD = "{\"process\":\"";

  private final Vertx vertx;
  private final Context context;
  private final ChildSpec spec;
  private final Backoff backoff;
  /** A child that ran this long was healthy: its next restart starts the backoff over. */
  private final long stableMs;
  private Path configFile;
  private Process process;
  private long startedAtNanos;
  private long restartTimer = -1;
  private boolean stopping;

  ChildProcess(Vertx vertx, Context context, ChildSpec spec, Backoff backoff, long stableMs) {
    this.vertx = vertx;
    this.context = context;
    this.spec = spec;
    this.backoff = backoff;
    this.stableMs = stableMs;
  }

  void start() {
    List<String> command;
    try {
      command = command();
      // stdin stays a pipe that is never written: the child exits when it reads end-of-file (ParentWatch).
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // Its config is ours with the overrides already applied: applied again, CHANGE_SERVER_role=hub would make it a hub.
      builder.environment().keySet().removeIf(ConfigOverrides::isOverride);
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      log.atError().addKeyValue("child", spec.name()).addKeyValue("error", e.toString()).log("child failed to start");
      scheduleRestart(0);
      return;
    }
    startedAtNanos = System.nanoTime();
    log.atInfo().addKeyValue("child", spec.name()).addKeyValue("pid", process.pid()).log("child started");
    copyOutput(spec.name(), process.getInputStream());
    Process launched = process;
    launched.onExit().thenAccept(exited -> context.runOnContext(v -> exited(launched)));
  }

  /** SIGTERM, then SIGKILL if the child is still alive after {@code graceMs}; no restart afterwards. */
  Future<Void> stop(long graceMs) {
    stopping = true;
    if (restartTimer >= 0) {
      vertx.cancelTimer(restartTimer);
    }
    Process running = process;
    if (running == null || !running.isAlive()) {
      deleteConfigFile();
      return Future.succeededFuture();
    }
    Promise<Void> stopped = Promise.promise();
    long killTimer = vertx.setTimer(graceMs, id -> {
      log.atWarn().addKeyValue("child", spec.name()).addKeyValue("pid", running.pid()).log("child ignored SIGTERM: killing");
      running.destroyForcibly();
    });
    running.onExit().thenAccept(exited -> context.runOnContext(v -> {
      vertx.cancelTimer(killTimer);
      deleteConfigFile();
      stopped.tryComplete();
    }));
    running.destroy();
    return stopped.future();
  }

  private void exited(Process exited) {
    if (stopping || exited != process) {
      return;
    }
    long uptimeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
    if (uptimeMs >= stableMs) {
      backoff.reset();
    }
    long delayMs = backoff.nextDelayMs();
    log.atWarn().addKeyValue("child", spec.name()).addKeyValue("pid", exited.pid()).addKeyValue("exitCode", exited.exitValue())
      .addKeyValue("uptimeMs", uptimeMs).addKeyValue("restartInMs", delayMs).log("child exited");
    scheduleRestart(delayMs);
  }

  private void scheduleRestart(long delayMs) {
    restartTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
      restartTimer = -1;
      if (!stopping) {
        start();
      }
    });
  }

  private List<String> command() throws IOException {
    return JavaCommand.supervised(spec.jvmOptions(), List.of("-cluster", "-conf", configFile().toString()));
  }

  /**
   * The child's config, in a file only this user can read: on the command line it would show API keys to anyone
   * who can list processes. Kept for restarts, deleted when the child is stopped.
   */
  private Path configFile() throws IOException {
    if (configFile == null) {
      configFile = Files.createTempFile("change-server-" + spec.name() + "-", ".json",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      configFile.toFile().deleteOnExit();
      Files.writeString(configFile, spec.config().encode(), StandardCharsets.UTF_8);
    }
    return configFile;
  }

  private void deleteConfigFile() {
    if (configFile != null) {
      try {
        Files.deleteIfExists(configFile);
      } catch (IOException e) {
        log.atDebug().addKeyValue("child", spec.name()).addKeyValue("error", e.toString()).log("could not delete child config");
      }
      configFile = null;
    }
  }

  /**
   * A JSON log line stays one JSON object, with the child's name as its first field; a line its own child already
   * labelled (a chain worker under the evmRpc plugin) gets the path, {@code evmRpc/ethereum}, not a second
   * {@code process} member. Any other line (a JVM crash report) gets a {@code [name]} prefix.
   */
  static String labelled(String name, String line) {
    String encoded = Json.encode(name);
    if (line.startsWith(PROCESS_FIELD)) {
      return PROCESS_FIELD + encoded.substring(1, encoded.length() - 1) + "/" + line.substring(PROCESS_FIELD.length());
    }
    return line.startsWith("{\"") ? "{\"process\":" + encoded + "," + line.substring(1) : "[" + name + "] " + line;
  }

  /** A blocking read, so on its own daemon thread, never on an event loop. */
  private static void copyOutput(String name, InputStream output) {
    Thread pump = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          System.out.println(labelled(name, line));
        }
      } catch (IOException e) {
        // The child is gone; its exit is handled by onExit.
      }
    }, "child-output-" + name);
    pump.setDaemon(true);
    pump.start();
  }
}
