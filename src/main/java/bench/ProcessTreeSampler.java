package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples CPU time and resident memory of a process and all its descendants from /proc (Linux), so that a server
 * made of several JVMs is measured as a whole. A background thread samples every {@value #INTERVAL_MS} ms to catch
 * the peak; {@link #sample()} takes one at a phase boundary.
 */
final class ProcessTreeSampler implements AutoCloseable {

  private static final long INTERVAL_MS = 100;
  /** Walking all of /proc costs far more than reading a few known processes, and a tree changes rarely. */
  private static final int TREE_REFRESH_EVERY = 10;
  /** USER_HZ, the unit of utime and stime: 100 on every mainstream Linux, and Java cannot ask sysconf. */
  private static final double TICKS_PER_SECOND = 100;

  private final long rootPid;
  private final Thread thread;
  /** Last CPU ticks seen per process, kept after it exits so that its CPU still counts. */
  private final Map<Long, ProcessFigures> processes = new LinkedHashMap<>();
  private long peakRssBytes;
  /** Proportional set size: a page shared by k processes counts 1/k in each (the jar, libjvm, the class archive). */
  private long peakPssBytes;
  private List<Long> tree = List.of();
  private int samplesSinceTreeRefresh = TREE_REFRESH_EVERY;
  private volatile boolean running = true;

  /** One look at the tree: CPU seconds consumed by every process seen so far, and RSS of the live ones. */
  record Sample(double cpuSeconds, long rssBytes) {
  }

  /** What one process of the tree used. */
  static final class ProcessFigures {
    final long pid;
    final String name;
    long cpuTicks;
    long peakRssBytes;
    long rssBytes;

    ProcessFigures(long pid, String name) {
      this.pid = pid;
      this.name = name;
    }

    double cpuSeconds() {
      return cpuTicks / TICKS_PER_SECOND;
    }
  }

  ProcessTreeSampler(long rootPid) {
    if (!Files.isReadable(Path.of("/proc", Long.toString(rootPid), "stat"))) {
      throw new IllegalArgumentException("no process " + rootPid + " in /proc");
    }
    this.rootPid = rootPid;
    this.thread = new Thread(this::run, "bench-process-sampler");
    thread.setDaemon(true);
    sample();
    thread.start();
  }

  long rootPid() {
    return rootPid;
  }

  synchronized Sample sample() {
    if (++samplesSinceTreeRefresh >= TREE_REFRESH_EVERY) {
      tree = tree();
      samplesSinceTreeRefresh = 0;
    }
    long rss = 0;
    long pss = 0;
    for (ProcessFigures figures : processes.values()) {
      figures.rssBytes = 0;
    }
    for (long pid : tree) {
      Path proc = Path.of("/proc", Long.toString(pid));
      String[] stat = statFields(proc);
      Long rssKb = rssKb(proc);
      if (stat == null || rssKb == null) {
        continue;
      }
      ProcessFigures figures = processes.computeIfAbsent(pid, p -> new ProcessFigures(p, name(proc)));
      figures.cpuTicks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
      figures.rssBytes = rssKb * 1024;
      figures.peakRssBytes = Math.max(figures.peakRssBytes, figures.rssBytes);
      rss += figures.rssBytes;
      pss += pssKb(proc) * 1024;
    }
    peakRssBytes = Math.max(peakRssBytes, rss);
    peakPssBytes = Math.max(peakPssBytes, pss);
    double cpu = processes.values().stream().mapToDouble(ProcessFigures::cpuSeconds).sum();
    return new Sample(cpu, rss);
  }

  synchronized long peakRssBytes() {
    return peakRssBytes;
  }

  /** The tree's peak memory with shared pages counted once over the tree (0 where the kernel has no smaps_rollup). */
  synchronized long peakPssBytes() {
    return peakPssBytes;
  }

  /** The processes of the tree alive now. */
  synchronized List<Long> livePids() {
    return new ArrayList<>(tree);
  }

  synchronized List<ProcessFigures> processes() {
    return new ArrayList<>(processes.values());
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  private void run() {
    while (running) {
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
      sample();
    }
  }

  /** The root and its descendants, found through each process's parent id. */
  private List<Long> tree() {
    Map<Long, List<Long>> children = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path entry : entries) {
        String[] stat = statFields(entry);
        if (stat != null) {
          children.computeIfAbsent(Long.parseLong(stat[1]), p -> new ArrayList<>()).add(Long.parseLong(entry.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    List<Long> tree = new ArrayList<>();
    tree.add(rootPid);
    for (int i = 0; i < tree.size(); i++) {
      tree.addAll(children.getOrDefault(tree.get(i), List.of()));
    }
    return tree;
  }

  /**
   * The fields of /proc/PID/stat after the command name, which may itself hold spaces and parentheses: index 0 is
   * the state, 1 the parent pid, 11 utime and 12 stime. Null if the process is gone.
   */
  private static String[] statFields(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** VmRSS of /proc/PID/status, in kB; null if the process is gone. */
  private static Long rssKb(Path proc) {
    return kilobytes(proc.resolve("status"), "VmRSS:");
  }

  /** Pss of /proc/PID/smaps_rollup, in kB; 0 if the process is gone or the kernel has no such file. */
  private static long pssKb(Path proc) {
    Long pss = kilobytes(proc.resolve("smaps_rollup"), "Pss:");
    return pss == null ? 0 : pss;
  }

  /** The kB figure of the line starting with {@code field} (0 when absent); null when the file cannot be read. */
  private static Long kilobytes(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
      return 0L;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The command line, shortened: enough to tell the hub JVM from a plugin JVM. */
  private static String name(Path proc) {
    try {
      String commandLine = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8).replace('\0', ' ').trim();
      return commandLine.length() <= 120 ? commandLine : "…" + commandLine.substring(commandLine.length() - 119);
    } catch (IOException e) {
      return "?";
    }
  }
}
