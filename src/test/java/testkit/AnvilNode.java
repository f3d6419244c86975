package testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real anvil (Foundry's local EVM node) on 127.0.0.1, automining, with unlocked funded accounts. Stopping it dumps its
 * chain to a state file and a restart loads it back, so a node can go away and return with its blocks intact (state of
 * blocks before the restart is no longer queryable: anvil keeps only the latest). Closing kills it and removes the file.
 *
 * <p>The binary is {@code $ANVIL_BIN}, else {@code node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil} in the working
 * directory or one of its parents ({@code npm install @foundry-rs/anvil@1.7.1}).
 */
public final class AnvilNode implements AutoCloseable {

  private static final String NPM_BINARY = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

  private final Path binary;
  private final Path stateDir;
  private final Path state;
  private final List<String> extraArgs;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Process process;
  private int port;

  private AnvilNode(Path binary, Path stateDir, List<String> extraArgs) {
    this.binary = binary;
    this.extraArgs = extraArgs;
    this.stateDir = stateDir;
    this.state = stateDir.resolve("state.json");
  }

  /** Starts a fresh chain on a free port and returns once it answers JSON-RPC. */
  public static AnvilNode start() {
    return start(List.of());
  }

  /**
   * Starts a fresh chain that mines a block every {@code seconds} (fractions allowed, e.g. 0.25 like Arbitrum), with or
   * without transactions, instead of one per transaction.
   */
  public static AnvilNode startMiningEvery(double seconds) {
    return start(List.of("--block-time", Double.toString(seconds)));
  }

  private static AnvilNode start(List<String> extraArgs) {
    try {
      AnvilNode node = new AnvilNode(binary(), Files.createTempDirectory("anvil"), extraArgs);
      node.launch(FreePorts.next());
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops the node gracefully, so that it writes its chain to the state file. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        throw new IllegalStateException("anvil did not stop within 15 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    process = null;
  }

  /** Starts the stopped node again on {@code port}, with the chain it had when it stopped. */
  public void restart(int port) {
    if (process != null) {
      throw new IllegalStateException("anvil is running");
    }
    launch(port);
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }

  private void launch(int port) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
      "--chain-id", "31337", "--silent", "--dump-state", state.toString()));
    command.addAll(extraArgs);
    if (Files.exists(state)) {
      command.add("--load-state");
      command.add(state.toString());
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(stateDir.resolve("anvil.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.port = port;
    awaitReady();
  }

  private void awaitReady() {
    HttpRequest chainId = HttpRequest.newBuilder(URI.create(url()))
      .header("Content-Type", "application/json")
      .timeout(Duration.ofSeconds(1))
      .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
      .build();
    await("anvil answering on port " + port).atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("anvil exited with " + process.exitValue() + ": " + log());
      }
      try {
        return http.send(chainId, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (IOException notListeningYet) {
        return false;
      }
    });
  }

  private String log() {
    try {
      return Files.readString(stateDir.resolve("anvil.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static Path binary() {
    String override = System.getenv("ANVIL_BIN");
    if (override != null && !override.isBlank()) {
      return requireExecutable(Path.of(override));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(NPM_BINARY);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("anvil not found: run `npm install @foundry-rs/anvil@1.7.1` in the project root or set ANVIL_BIN");
  }

  private static Path requireExecutable(Path path) {
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException("ANVIL_BIN=" + path + " is not an executable file");
    }
    return path;
  }
}
