package testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A real {@code litecoind -regtest} (Debian package {@code litecoind}, a Bitcoin Core 0.21 fork) on free loopback
 * ports in a temporary data directory, with a wallet. {@link #rpcAsync} suits event loops (its future completes on the
 * HTTP client's threads); the blocking helpers are for test threads. Closing kills the node and deletes its data.
 */
public final class LitecoindNode implements AutoCloseable {

  private static final String USER = "test";
  private static final String PASSWORD = "test";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path dataDir;
  private final URI rpcUri;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String authorization = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  private final AtomicLong nextId = new AtomicLong();

  private LitecoindNode(Process process, Path dataDir, int rpcPort) {
    this.process = process;
    this.dataDir = dataDir;
    this.rpcUri = URI.create("http://127.0.0.1:" + rpcPort + "/");
  }

  /** Starts the node (binary from {@code -Dlitecoind=…}, else {@code litecoind} on the PATH) and creates a wallet. */
  public static LitecoindNode start() throws IOException {
    Path dataDir = Files.createTempDirectory("litecoind-regtest");
    int rpcPort = FreePorts.next();
    List<String> command = List.of(System.getProperty("litecoind", "litecoind"), "-regtest", "-datadir=" + dataDir,
      "-rpcuser=" + USER, "-rpcpassword=" + PASSWORD, "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1", "-rpcport=" + rpcPort,
      "-port=" + FreePorts.next(), "-listen=0", "-dnsseed=0", "-discover=0", "-txindex", "-fallbackfee=0.0002", "-printtoconsole=0",
      // Tests and the Blockbook double call concurrently; the default queue of 16 answers HTTP 503 beyond that.
      "-rpcthreads=8", "-rpcworkqueue=512");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dataDir.resolve("stdout.log").toFile()).start();
    LitecoindNode node = new LitecoindNode(process, dataDir, rpcPort);
    try {
      node.awaitReady();
      node.rpc("createwallet", "test");
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** A JSON-RPC call; the future holds the {@code result} or fails with the node's error. */
  public CompletableFuture<Object> rpcAsync(String method, Object... params) {
    JsonObject body = new JsonObject().put("jsonrpc", "1.0").put("id", Long.toString(nextId.getAndIncrement()))
      .put("method", method).put("params", new JsonArray(List.of(params)));
    HttpRequest request = HttpRequest.newBuilder(rpcUri).timeout(Duration.ofSeconds(30))
      .header("Authorization", authorization).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      // Errors of the RPC itself come as JSON with a 4xx/5xx status; a busy or starting server answers plain text.
      if (!response.body().startsWith("{")) {
        throw new IllegalStateException(method + ": HTTP " + response.statusCode() + " " + response.body().strip());
      }
      JsonObject reply = new JsonObject(response.body());
      if (reply.getValue("error") != null) {
        throw new IllegalStateException(method + ": " + reply.getValue("error"));
      }
      return reply.getValue("result");
    });
  }

  /** A blocking JSON-RPC call, for test threads. */
  public Object rpc(String method, Object... params) {
    try {
      return rpcAsync(method, params).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
  }

  /** {@code legacy}, {@code p2sh-segwit} or {@code bech32}. */
  public String getNewAddress(String type) {
    return (String) rpc("getnewaddress", "", type);
  }

  public List<String> generateToAddress(int blocks, String address) {
    List<String> hashes = new ArrayList<>();
    ((JsonArray) rpc("generatetoaddress", blocks, address)).forEach(hash -> hashes.add((String) hash));
    return hashes;
  }

  /** Mines blocks to a fresh wallet address; returns the new tip height. */
  public long mine(int blocks) {
    generateToAddress(blocks, getNewAddress("bech32"));
    return blockCount();
  }

  /** Pays {@code amount} (a decimal string in LTC) from the wallet; returns the txid. */
  public String sendToAddress(String address, String amount) {
    return (String) rpc("sendtoaddress", address, new java.math.BigDecimal(amount));
  }

  public long blockCount() {
    return ((Number) rpc("getblockcount")).longValue();
  }

  /**
   * Kills the node outright: its data is thrown away anyway, and a graceful stop waits for the HTTP client's idle
   * keep-alive connections (java.net.http keeps them for minutes), which took over 20 s here.
   */
  @Override
  public void close() {
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteRecursively(dataDir);
  }

  /** RPC refuses connections while the node starts, then answers error -28 while it warms up. */
  private void awaitReady() {
    Awaitility.await("litecoind RPC ready (log: " + dataDir.resolve("stdout.log") + ")")
      .atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(50))
      .failFast("litecoind exited", () -> !process.isAlive())
      .until(() -> {
        try {
          rpcAsync("getblockchaininfo").join();
          return true;
        } catch (CompletionException e) {
          return false;
        }
      });
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
