package app;

import supervision.MemoryBudget;
import supervision.ParentWatch;
import cli.ClientCommand;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import hub.HubDrain;
import ops.LogLevels;
import ops.MemoryGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the fat jar, with the Vert.x launcher's conventions: {@code -conf FILE|JSON} gives the config, whose
 * {@code role} says what this JVM runs, and {@code -cluster} joins the Hazelcast cluster of its {@code cluster} section.
 * With no arguments it runs the whole topology on this machine: the hub here, one supervised JVM per plugin.
 */
@Command(name = "change-server", mixinStandardHelpOptions = true, sortOptions = false, subcommands = {bench.LoadCommand.class, ClientCommand.class, ClassDataTraining.class},
  description = "Tells WebSocket clients when their addresses have new on-chain activity.")
public final class Main implements Callable<Integer> {

  /** Not a static field: a JVM that only relaunches the server never loads the logging stack (Relauncher). */
  private static Logger log() {
    return LoggerFactory.getLogger(Main.class);
  }

  @Option(names = {"-conf", "--conf"}, paramLabel = "FILE|JSON", description = "Config file, or inline JSON. Default: built-in defaults (role all).")
  private String conf;

  @Option(names = {"-cluster", "--cluster"}, description = "Join the cluster described in the config's \"cluster\" section.")
  private boolean cluster;

  /** The command line as given, for the server JVM a relaunch starts. */
  private final List<String> arguments;

  private Main(List<String> arguments) {
    this.arguments = arguments;
  }

  public static void main(String[] args) {
    int exitCode = new CommandLine(new Main(List.of(args))).execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /** A drain that has not ended by then (a misconfigured drainMs) gives way to the shutdown. */
  private static final long DRAIN_LIMIT_MINUTES = 10;
  /** This JVM's Vert.x once it runs, for the SIGTERM handler. */
  private static volatile Vertx running;

  @Override
  public Integer call() throws Exception {
    exitZeroOnSigterm();
    JsonObject config = ConfigLoader.load(conf);
    boolean relaunch = Relauncher.wanted(config);
    if (!Boolean.getBoolean(ParentWatch.PROPERTY) && !fitsMemoryLimit(config, relaunch)) {
      return 1;
    }
    if (relaunch) {
      return Relauncher.run(config, Role.fromConfig(config.getString("role", "all")), arguments);
    }
    ParentWatch.startIfSupervised();
    LogLevels.apply(config.getJsonObject("logging", new JsonObject()));
    List<String> overrides = ConfigOverrides.names(System.getenv());
    if (!overrides.isEmpty()) {
      // Names only: a value may be a secret.
      log().atInfo().addKeyValue("variables", overrides).log("config keys set by environment");
    }
    Vertx vertx = VertxFactory.create(config, RoleDeployer.needsCluster(config, cluster)).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    MemoryGuard.install(vertx, config.getJsonObject("memoryGuard", new JsonObject()));
    running = vertx;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx), "change-server-shutdown"));
    try {
      RoleDeployer.deploy(vertx, config).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      log().atError().addKeyValue("error", e.getCause() != null ? e.getCause().toString() : e.toString()).log("start-up failed");
      closeQuietly(vertx);
      return 1;
    }
    return 0;
  }

  /**
   * Checked once, by the JVM that read the operator's config, for every JVM this start will run beside it (a relaunched
   * server and supervised children share its container and skip the check). No logging stack yet: a plain line.
   */
  private boolean fitsMemoryLimit(JsonObject config, boolean relaunch) {
    Integer ownHeapMb = relaunch ? null : (int) (Runtime.getRuntime().maxMemory() >> 20);
    try {
      MemoryBudget.check(ContainerJvms.roles(config, cluster), ownHeapMb, relaunch, config.getJsonObject("supervisor", new JsonObject()));
      return true;
    } catch (IllegalStateException e) {
      System.err.println("change-server: " + e.getMessage());
      return false;
    }
  }

  /**
   * SIGTERM is the normal way to stop a server: a hub first drains ({@link HubDrain}: not ready, then its sockets closed
   * a few at a time), then the JVM exits 0 after the shutdown hook, not the JVM's default 143. Ctrl-C (SIGINT) does not
   * drain: on a developer's machine there is no other hub to drain to.
   */
  @SuppressWarnings("restriction")
  private static void exitZeroOnSigterm() {
    Signal.handle(new Signal("TERM"), signal -> {
      Vertx vertx = running;
      if (vertx != null && HubDrain.of(vertx).hasHub()) {
        try {
          HubDrain.of(vertx).start(vertx).toCompletionStage().toCompletableFuture().get(DRAIN_LIMIT_MINUTES, TimeUnit.MINUTES);
        } catch (Exception e) {
          log().atWarn().addKeyValue("error", e.toString()).log("drain incomplete");
        }
      }
      System.exit(0);
    });
  }

  /** Undeploys everything (sockets get 1001) and leaves the cluster before the JVM exits. */
  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log().atWarn().addKeyValue("error", e.toString()).log("shutdown incomplete");
    }
  }
}
