package cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code change-server client [ws://host:port]}: an interactive client for wallet developers and operators. Reads
 * commands from stdin on the calling thread (blocking reads never touch an event loop) and prints replies, updates
 * and subLost as they arrive.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
  description = "Interactive WebSocket client: subscribe, unsubscribe, read metrics; prints updates as they arrive.")
public final class ClientCommand implements Callable<Integer> {

  private static final String HELP = String.join(System.lineSeparator(),
    "subscribe <pluginId> <address> [checkpoint]   watch an address (result 1: nothing new, 2: re-sync, 0: invalid, -1: unsupported)",
    "unsubscribe <pluginId> <address>             stop watching it",
    "metrics [url]                                the change_* lines of a /metrics page (default http://<host>:8009/metrics)",
    "help                                         this text",
    "exit                                         close the connection and quit");

  @Parameters(index = "0", arity = "0..1", defaultValue = "ws://127.0.0.1:8008", paramLabel = "URL", description = "Server URL (default: ${DEFAULT-VALUE}).")
  private URI url;

  private final InputStream in;
  private final PrintStream out;
  private final AtomicInteger nextId = new AtomicInteger();
  /** What each call in flight was, to print its reply readably. */
  private final Map<Integer, String> pending = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  public ClientCommand() {
    this(System.in, System.out);
  }

  public ClientCommand(InputStream in, PrintStream out) {
    this.in = in;
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      WebSocket socket;
      try {
        socket = await(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 * 1024 * 1024))
          .connect(new WebSocketConnectOptions().setAbsoluteURI(url.toString())));
      } catch (Exception e) {
        out.println("cannot connect to " + url + ": " + rootMessage(e));
        return 1;
      }
      socket.textMessageHandler(this::received);
      socket.closeHandler(v -> out.println("connection closed by the server"));
      out.println("connected to " + url + " (type help)");
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = lines.readLine()) != null) {
        if (!run(line.trim().split("\\s+"), socket)) {
          break;
        }
      }
      if (!socket.isClosed()) {
        await(socket.close());
      }
      return 0;
    } finally {
      vertx.close();
    }
  }

  /** One command line; false to quit. */
  private boolean run(String[] words, WebSocket socket) {
    switch (words[0]) {
      case "" -> { }
      case "subscribe" -> {
        if (words.length < 3 || words.length > 4) {
          out.println("usage: subscribe <pluginId> <address> [checkpoint]");
        } else {
          JsonArray tuple = new JsonArray().add(words[1]).add(words[2]).add(words.length == 4 ? words[3] : null);
          call(socket, "subscribe", tuple, words[1] + " " + words[2]);
        }
      }
      case "unsubscribe" -> {
        if (words.length != 3) {
          out.println("usage: unsubscribe <pluginId> <address>");
        } else {
          call(socket, "unsubscribe", new JsonArray().add(words[1]).add(words[2]), words[1] + " " + words[2]);
        }
      }
      case "metrics" -> metrics(words.length > 1 ? words[1] : "http://" + url.getHost() + ":8009/metrics");
      case "help" -> out.println(HELP);
      case "exit", "quit" -> {
        return false;
      }
      default -> out.println("unknown command " + words[0] + " (type help)");
    }
    return true;
  }

  private void call(WebSocket socket, String method, JsonArray tuple, String what) {
    int id = nextId.getAndIncrement();
    pending.put(id, method + " " + what);
    String text = new JsonObject().put("jsonrpc", "2.0").put("method", method).put("params", new JsonArray().add(tuple)).put("id", id).encode();
    socket.writeTextMessage(text).onFailure(failure -> out.println("send failed: " + failure.getMessage()));
  }

  /** Runs on the event loop: one line per server message. */
  private void received(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (RuntimeException e) {
      out.println("< " + text);
      return;
    }
    String method = message.getString("method");
    if (method != null) {
      JsonArray params = message.getJsonArray("params", new JsonArray());
      String checkpoint = params.size() > 2 && params.getValue(2) != null ? " checkpoint " + params.getValue(2) : "";
      out.println(method + " " + params.getValue(0) + " " + params.getValue(1) + checkpoint);
      return;
    }
    Integer id = message.getValue("id") instanceof Number number ? number.intValue() : null;
    String what = id == null ? "?" : pending.remove(id);
    if (message.containsKey("error")) {
      JsonObject error = message.getJsonObject("error");
      out.println(what + ": error " + error.getValue("code") + " " + error.getString("message"));
    } else if (message.getValue("result") instanceof JsonArray results) {
      out.println(what + ": " + results.getValue(0));
    } else {
      out.println(what + ": ok");
    }
  }

  /** A blocking HTTP GET, on the command thread. */
  private void metrics(String metricsUrl) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        out.println(metricsUrl + " answered " + response.statusCode());
        return;
      }
      response.body().lines().filter(line -> line.startsWith("change_")).forEach(out::println);
    } catch (Exception e) {
      out.println("cannot read " + metricsUrl + ": " + rootMessage(e));
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.toString();
  }
}
