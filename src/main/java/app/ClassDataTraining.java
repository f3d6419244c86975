package app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import supervision.ClassDataArchive;
import supervision.JavaCommand;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code change-server train-class-data}, run by {@code mvn package} (and the Dockerfile) under
 * {@code -XX:ArchiveClassesAtExit}: loads the classes every role of a server needs by doing, in one JVM and for a few
 * seconds, what the roles do (a clustered Vert.x, the hub and its admin endpoint, the fake, Blockbook and EVM plugins,
 * a client that subscribes and gets its update), so that the JVM writes them into the class-data archive when it exits
 * ({@link ClassDataArchive}). Everything listens on free loopback ports; upstreams point at a closed local port.
 */
@Command(name = "train-class-data", hidden = true, description = "Write the class-data archive beside the jar (used by the build).")
final class ClassDataTraining implements Callable<Integer> {

  private static final long STEP_TIMEOUT_SECONDS = 60;
  /** The archive's own warnings (classes it cannot hold: picocli's Java 5 class files, JFR events) are expected. */
  private static final List<String> QUIET_ARCHIVING = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  @Option(names = "--exercise", hidden = true, description = "Run the exercise in this JVM (the one that writes the archive).")
  private boolean exercise;

  @Override
  public Integer call() throws Exception {
    return exercise ? exercise() : archive();
  }

  /**
   * Runs the exercise in a JVM started exactly as the server's JVMs are (same classpath, same options) that writes the
   * archive when it exits, then stamps the archive with the JVM and jar it is for.
   */
  private static int archive() throws Exception {
    ClassDataArchive archive = ClassDataArchive.forThisJvm();
    List<String> options = new ArrayList<>(QUIET_ARCHIVING);
    options.add("-XX:ArchiveClassesAtExit=" + archive.archive());
    Files.deleteIfExists(archive.archive());
    Process training = new ProcessBuilder(JavaCommand.supervised(options, List.of("train-class-data", "--exercise")))
      .redirectOutput(ProcessBuilder.Redirect.DISCARD)
      .redirectError(ProcessBuilder.Redirect.INHERIT)
      .start();
    if (!training.waitFor(2, TimeUnit.MINUTES)) {
      training.destroyForcibly();
      throw new IllegalStateException("class-data training did not finish within 2 minutes");
    }
    if (training.exitValue() != 0 || !Files.isRegularFile(archive.archive())) {
      System.err.println("class-data archive not written (exit " + training.exitValue() + "): the server starts without it");
      return 0;
    }
    archive.writeStamp();
    System.out.println("class-data archive written: " + archive.archive() + " (" + Files.size(archive.archive()) / (1024 * 1024) + " MB)");
    return 0;
  }

  private static int exercise() throws Exception {
    int hubPort = freePort();
    int adminPort = freePort();
    String closedUpstream = "127.0.0.1:" + freePort();
    JsonObject config = config(hubPort, adminPort, freePort(), closedUpstream);
    Vertx vertx = await(VertxFactory.create(config, true));
    try {
      await(RoleDeployer.deploy(vertx, config));
      exerciseClient(vertx, hubPort);
      exerciseAdmin(vertx, adminPort);
    } finally {
      await(vertx.close());
    }
    return 0;
  }

  private static JsonObject config(int hubPort, int adminPort, int clusterPort, String closedUpstream) {
    JsonObject chains = new JsonObject().put("bitcoin", new JsonObject().put("urls", new JsonArray().add("ws://" + closedUpstream + "/")));
    JsonObject evmChains = new JsonObject().put("ethereum", new JsonObject().put("urls", new JsonArray().add("http://" + closedUpstream)));
    return new JsonObject()
      .put("role", "all")
      .put("topology", "inline")
      .put("hub", new JsonObject().put("port", hubPort).put("discoveryMs", 0))
      .put("admin", new JsonObject().put("port", adminPort))
      .put("cluster", new JsonObject().put("name", "class-data-training-" + UUID.randomUUID()).put("port", clusterPort).put("portCount", 1))
      .put("plugins", new JsonObject()
        .put("fake", new JsonObject().put("enabled", true))
        .put("blockbook", new JsonObject().put("enabled", true).put("chains", chains))
        .put("evmRpc", new JsonObject().put("enabled", true).put("chains", evmChains)));
  }

  /** A wallet's first minute: subscribe, get the update, unsubscribe, close. */
  private static void exerciseClient(Vertx vertx, int hubPort) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket socket = await(client.connect(hubPort, "127.0.0.1", "/"));
    Promise<Void> updated = Promise.promise();
    socket.textMessageHandler(text -> {
      if (text.contains("\"update\"")) {
        updated.tryComplete();
      }
    });
    await(socket.writeTextMessage("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"training\",\"100\"],"
      + "[\"bitcoin\",\"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\",\"1\"],[\"ethereum\",\"0x000000000000000000000000000000000000dEaD\",\"1\"]],\"id\":0}"));
    await(updated.future());
    await(socket.writeTextMessage("{\"jsonrpc\":\"2.0\",\"method\":\"unsubscribe\",\"params\":[[\"fake\",\"training\"]],\"id\":1}"));
    await(socket.close());
    await(client.close());
  }

  private static void exerciseAdmin(Vertx vertx, int adminPort) throws Exception {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1));
    for (String path : List.of("/ready", "/stats", "/metrics", "/")) {
      await(http.request(HttpMethod.GET, adminPort, "127.0.0.1", path).compose(request -> request.send()).compose(response -> response.body()));
    }
    await(http.close());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
