package bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the storm's restart command with {@code /bin/sh -c}: its stderr is this tool's, its stdout is copied to this
 * tool's stderr (stdout is the report's), and a last stdout line that is a number names the new server's root process.
 */
final class RestartCommand {

  /** A server the command started in the background may keep its stdout open: the lines read by then are enough. */
  private static final long STDOUT_GRACE_MS = 1_000;

  /**
   * @param exitCode the command's exit code; -1 when it did not finish in time or could not start
   * @param newPid   the pid the command printed last, 0 if it printed none
   * @param failure  why there is no exit code, else null
   */
  record Outcome(String command, int exitCode, long ms, long newPid, String failure) {
  }

  private RestartCommand() {
  }

  static Outcome run(String command, long timeoutMs) throws InterruptedException {
    long started = System.nanoTime();
    Process process;
    try {
      process = new ProcessBuilder("/bin/sh", "-c", command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    } catch (IOException e) {
      return new Outcome(command, -1, 0, 0, "cannot start: " + e.getMessage());
    }
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> copyLines(process, lines), "bench-restart-stdout");
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return new Outcome(command, -1, millisSince(started), 0, "still running after " + timeoutMs + " ms: killed");
    }
    long ms = millisSince(started);
    reader.join(STDOUT_GRACE_MS);
    synchronized (lines) {
      return new Outcome(command, process.exitValue(), ms, lastPid(lines), null);
    }
  }

  /** The last non-blank line as a pid, 0 if it is not one. */
  static long lastPid(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).trim();
      if (!line.isEmpty()) {
        return line.matches("[1-9][0-9]{0,9}") ? Long.parseLong(line) : 0;
      }
    }
    return 0;
  }

  private static void copyLines(Process process, List<String> lines) {
    try (BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
        System.err.println("restart: " + line);
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      // The pipe broke: the lines read so far are all there is.
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
