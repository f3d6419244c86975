package supervision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The memory limit of the container this JVM runs in, as the kernel enforces it on the whole process tree: cgroup v2's
 * {@code memory.max}, else cgroup v1's {@code memory.limit_in_bytes}. None when neither is readable, v2 says
 * {@code max}, or v1 says its "unlimited" (a page-aligned {@code Long.MAX_VALUE}).
 */
public final class CgroupMemoryLimit {

  static final Path V2 = Path.of("/sys/fs/cgroup/memory.max");
  static final Path V1 = Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  /** v1 writes "no limit" as a huge number; nothing real is above 2^62 bytes. */
  private static final long UNLIMITED_ABOVE = 1L << 62;

  private CgroupMemoryLimit() {
  }

  /** This container's limit in bytes, if it has one. */
  public static OptionalLong ofThisContainer() {
    return read(V2, V1);
  }

  static OptionalLong read(Path v2, Path v1) {
    OptionalLong limit = readOne(v2);
    return limit.isPresent() || Files.isReadable(v2) ? limit : readOne(v1);
  }

  private static OptionalLong readOne(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    if (text.equals("max")) {
      return OptionalLong.empty();
    }
    try {
      long bytes = Long.parseLong(text);
      return bytes > 0 && bytes < UNLIMITED_ABOVE ? OptionalLong.of(bytes) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
