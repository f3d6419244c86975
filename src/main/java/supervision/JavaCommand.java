package supervision;

import app.Main;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM of ours: this JVM's own {@code java}, the given options, what the jar's manifest grants
 * under {@code java -jar} (a JVM started with {@code -cp} needs it spelled out), the supervised flag
 * ({@link ParentWatch}), the classpath as the class-data archive expects it, then {@link Main} and its arguments.
 */
public final class JavaCommand {

  private static final List<String> MODULE_ACCESS = List.of(
    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");

  private JavaCommand() {
  }

  /** A supervised JVM: it exits when its parent closes its stdin. */
  public static List<String> supervised(List<String> jvmOptions, List<String> mainArguments) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(MODULE_ACCESS);
    command.add("-D" + ParentWatch.PROPERTY + "=true");
    command.add("-cp");
    command.add(ClassDataArchive.forThisJvm().classPath());
    command.add(Main.class.getName());
    command.addAll(mainArguments);
    return command;
  }
}
