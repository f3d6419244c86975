package supervision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The application class-data archive (AppCDS) of this jar: the classes a server loads, parsed and verified once at
 * build time ({@code mvn package} runs {@code change-server train-class-data}) and mapped by every JVM we start. On
 * the 2-core reference machine it halves a plugin JVM's start (4.3 s and 6.3 CPU s without, 2.6 s and 2.9 CPU s with)
 * and trims ~50 MB of its RSS (docs/BENCHMARKS.md, "Cold path").
 *
 * <p>The JVM accepts an archive only for the exact JVM build and the jar named exactly as at dump time; otherwise it
 * warns and carries on without. So the archive ({@code change-server.jsa} beside the jar) comes with a stamp of the
 * JVM and the jar it was made for, and is offered only when both still match: a copied jar or another JDK simply
 * starts without it.
 */
public final class ClassDataArchive {

  private static final String ARCHIVE_SUFFIX = ".jsa";
  private static final String STAMP_SUFFIX = ".jsa.stamp";

  /** The jar this JVM runs from, absolute; null when not running from one jar (tests run from classes folders). */
  private final Path jar;

  private ClassDataArchive(Path jar) {
    this.jar = jar;
  }

  public static ClassDataArchive forThisJvm() {
    String classPath = System.getProperty("java.class.path", "");
    boolean oneJar = !classPath.isEmpty() && !classPath.contains(java.io.File.pathSeparator) && classPath.endsWith(".jar");
    return new ClassDataArchive(oneJar ? Path.of(classPath).toAbsolutePath().normalize() : null);
  }

  /**
   * The classpath to start a JVM of ours with: the jar by its absolute path, as the archive records it, or this JVM's
   * own classpath when it does not run from one jar.
   */
  public String classPath() {
    return jar != null ? jar.toString() : System.getProperty("java.class.path");
  }

  /** {@code -XX:SharedArchiveFile=…} when an archive made for this JVM and this jar exists; nothing otherwise. */
  public List<String> runtimeOptions() {
    if (jar == null || !Files.isRegularFile(archive())) {
      return List.of();
    }
    try {
      return Files.readString(stamp(), StandardCharsets.UTF_8).equals(identity())
        ? List.of("-XX:SharedArchiveFile=" + archive()) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Called by the training run, whose JVM writes {@link #archive()} when it exits: records which JVM and jar the
   * archive is for.
   */
  public void writeStamp() throws IOException {
    if (jar == null) {
      throw new IllegalStateException("not running from a jar: nothing to archive for");
    }
    Files.writeString(stamp(), identity(), StandardCharsets.UTF_8);
  }

  /** Where the archive of this jar lives: beside it, {@code change-server.jsa}. */
  public Path archive() {
    return besideTheJar(ARCHIVE_SUFFIX);
  }

  private Path stamp() {
    return besideTheJar(STAMP_SUFFIX);
  }

  /** {@code change-server<suffix>} for {@code change-server.jar}. */
  private Path besideTheJar(String suffix) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + suffix);
  }

  /** What the JVM itself checks, spelled out: its build and home, the jar's path, size and modification time. */
  private String identity() throws IOException {
    return String.join("\n", System.getProperty("java.vm.version"), System.getProperty("java.home"), jar.toString(),
      String.valueOf(Files.size(jar)), String.valueOf(Files.getLastModifiedTime(jar).toMillis())) + "\n";
  }
}
