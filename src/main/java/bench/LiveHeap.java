package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live Java heap of the server's JVMs: {@code jcmd <pid> GC.run} (a full collection), then the heap in use from
 * {@code jcmd <pid> GC.heap_info}. RSS tells how far each collector chose to grow its heap; this tells what the
 * subscriptions keep alive. Forces a full GC in every server JVM, so it is opt-in ({@code --live-heap}).
 */
final class LiveHeap {

  private static final long JCMD_TIMEOUT_SECONDS = 60;
  /** G1: "garbage-first heap total 1048576K, used 23456K"; Parallel and Serial: one line per generation. */
  private static final Pattern WHOLE_HEAP = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern GENERATION = Pattern.compile(
    "^\\s*(?:PSYoungGen|ParOldGen|def new generation|tenured generation)\\s+total \\d+K, used (\\d+)K", Pattern.MULTILINE);

  private LiveHeap() {
  }

  /** Sum over the JVMs among {@code pids}; processes that are not JVMs (or are gone) count 0. */
  static long bytes(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      total += bytes(pid);
    }
    return total;
  }

  private static long bytes(long pid) {
    if (jcmd(pid, "GC.run") == null) {
      return 0;
    }
    String info = jcmd(pid, "GC.heap_info");
    if (info == null) {
      return 0;
    }
    Matcher whole = WHOLE_HEAP.matcher(info);
    if (whole.find()) {
      return Long.parseLong(whole.group(1)) * 1024;
    }
    long used = 0;
    Matcher generation = GENERATION.matcher(info);
    while (generation.find()) {
      used += Long.parseLong(generation.group(1)) * 1024;
    }
    return used;
  }

  /** jcmd's output, or null when it failed (not a JVM, gone, another user's). */
  private static String jcmd(long pid, String command) {
    try {
      Process process = new ProcessBuilder(jcmdPath(), Long.toString(pid), command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return null;
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The jcmd beside this JVM's java (a JDK), else the one on the PATH. */
  private static String jcmdPath() {
    return ProcessHandle.current().info().command()
      .map(java -> Path.of(java).resolveSibling("jcmd"))
      .filter(Files::isExecutable)
      .map(Path::toString)
      .orElse("jcmd");
  }
}
