package ops;

import api.plugin.ActivitySink;
import api.plugin.Chain;
import plugins.host.PluginVerticle;
import chainworker.ChainWorkerVerticle;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import plugins.blockbook.BlockbookPluginVerticle;
import testkit.FreePorts;
import testkit.InlineHub;
import testkit.WsTestClient;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Everything logged at DEBUG while real code handles a whole address and a keyed upstream URL goes through the JSON
 * encoder: every line is one JSON object, and neither the address nor the key ever appears whole.
 */
class LogRedactionTest {

  private static final String ADDRESS = "0xF5335367A46C2484F13ABD051444E39775EA7B60";
  private static final String BITCOIN_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
  private static final String API_KEY = "k3y-5ecret-0123456789abcdef";

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private OutputStreamAppender<ILoggingEvent> appender;
  private Level rootLevel;
  private MeteredHub hub;

  @BeforeEach
  void capture() {
    appender = new OutputStreamAppender<>();
    appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(appender.getContext());
    encoder.start();
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    root.addAppender(appender);
    rootLevel = root.getLevel();
    LogLevels.apply(new JsonObject().put("levels", new JsonObject().put("ROOT", "DEBUG").put("io.netty", "INFO")));
    hub = MeteredHub.start();
  }

  @AfterEach
  void restore() {
    hub.close();
    root.detachAppender(appender);
    root.setLevel(rootLevel);
  }

  @Test
  void addressesAndKeysNeverAppearWhole() {
    InlineHub.join(hub.vertx().deployVerticle(new LosingPlugin()));
    int closedPort = FreePorts.next();
    JsonObject chains = new JsonObject();
    for (String pluginId : List.of("bitcoincash", "litecoin", "dogecoin", "qtum")) {
      chains.put(pluginId, new JsonObject().put("enabled", false));
    }
    chains.put("bitcoin", new JsonObject().put("urls", new JsonArray().add("ws://127.0.0.1:" + closedPort + "/wss/{{apiKey}}")));
    InlineHub.join(hub.vertx().deployVerticle(new BlockbookPluginVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("apiKeys", new JsonObject().put("127.0.0.1", API_KEY)).put("chains", chains))));

    WsTestClient client = hub.connect();
    client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"losing\",\"" + ADDRESS + "\",\"12\"],[\"bitcoin\",\"" + BITCOIN_ADDRESS + "\"]],\"id\":0}");
    assertThat(client.next(Duration.ofSeconds(10))).contains("subLost");
    LoggerFactory.getLogger(LogRedactionTest.class).atInfo().addKeyValue("url", "https://api.example/v2/api?chainid=1&apikey=" + API_KEY)
      .log("a careless line: https://api.example/v2/api?apikey={}", API_KEY);
    await().atMost(Duration.ofSeconds(10)).until(() -> text().contains("upstream"));

    String log = text();
    assertThat(log).contains("subscription lost", "scan failed", "0xF533", "***");
    assertThat(log).doesNotContain(ADDRESS, ADDRESS.toLowerCase(), BITCOIN_ADDRESS, API_KEY);
    for (String line : log.split("\n")) {
      assertThat(new JsonObject(line).getString("msg")).as(line).isNotNull();
    }
    JsonObject lost = log.lines().map(JsonObject::new).filter(line -> "subscription lost".equals(line.getString("msg"))).findFirst().orElseThrow();
    assertThat(lost.getString("pluginId")).isEqualTo("losing");
    assertThat(lost.getString("address")).startsWith("0xF533").doesNotContain(ADDRESS);
    assertThat(lost.getString("level")).isEqualTo("WARN");
  }

  /** A socket the hub closes leaves a line with the reason and the client's network only, and a count per reason. */
  @Test
  void everyCloseIsLoggedWithItsReasonAndARedactedClientAndCounted() throws Exception {
    WsTestClient client = hub.connect();
    client.send("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"" + "x".repeat(4 * 1024 * 1024) + "\"]],\"id\":1}");
    assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> text().contains("closing connection"));
    JsonObject closing = text().lines().map(JsonObject::new).filter(line -> "closing connection".equals(line.getString("msg"))).findFirst().orElseThrow();
    assertThat(closing.getString("reason")).isEqualTo("size");
    assertThat(closing.getString("client")).isEqualTo("127.0.x.x");
    assertThat(closing.getString("connection")).isNotBlank();
    assertThat(closing.getString("level")).isEqualTo("INFO");
    assertThat(hub.get("/metrics").body()).contains("change_close_count_total{reason=\"size\"} 1.0");
  }

  /**
   * The converted upstream lines of the Blockbook plugin and the chain worker, as real JSON lines: their variable data
   * is in top-level members (numbers stay numbers), the message is constant text, and an upstream that echoes the
   * keyed URL back in its refusal (as proxies and some providers do) leaks neither the key nor a whole address.
   */
  @Test
  void upstreamLinesCarryTheirFieldsAsTopLevelMembers() {
    int echoPort = FreePorts.next();
    // Refuses every request, quoting the request URI (where the key sits) in the body.
    InlineHub.join(hub.vertx().createHttpServer()
      .requestHandler(request -> request.response().setStatusCode(403).end("forbidden: " + request.uri()))
      .listen(echoPort, "127.0.0.1"));
    JsonObject apiKeys = new JsonObject().put("127.0.0.1", API_KEY);
    JsonObject chains = new JsonObject();
    for (String pluginId : List.of("bitcoincash", "litecoin", "dogecoin", "qtum")) {
      chains.put(pluginId, new JsonObject().put("enabled", false));
    }
    chains.put("bitcoin", new JsonObject().put("urls", new JsonArray().add("ws://127.0.0.1:" + echoPort + "/wss/{{apiKey}}")));
    InlineHub.join(hub.vertx().deployVerticle(new BlockbookPluginVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("apiKeys", apiKeys).put("chains", chains))));
    InlineHub.join(hub.vertx().deployVerticle(new ChainWorkerVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("pluginId", "ethereum")
      .put("urls", new JsonArray().add("http://127.0.0.1:" + echoPort + "/v2/{{apiKey}}"))
      .put("apiKeys", apiKeys)
      .put("maxAttempts", 2).put("retryBackoffMs", 50).put("pollIntervalMs", 200).put("callTimeoutMs", 2000))));

    WsTestClient client = hub.connect();
    client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"ethereum\",\"" + ADDRESS + "\",\"12\"],[\"bitcoin\",\""
      + BITCOIN_ADDRESS + "\"]],\"id\":0}");
    await().atMost(Duration.ofSeconds(20)).until(() -> line("chainworker.ChainFollower", "upstream unusable") != null
      && line("plugins.blockbook.upstream.UpstreamLink", "upstream connect failed") != null
      && line("chainworker.FailoverCaller", "upstream attempt failed") != null);

    JsonObject blockbook = line("plugins.blockbook.upstream.UpstreamLink", "upstream connect failed");
    assertThat(blockbook.getString("level")).isEqualTo("DEBUG");
    assertThat(blockbook.getString("pluginId")).isEqualTo("bitcoin");
    assertThat(blockbook.getString("link")).startsWith("bitcoin/");
    assertThat(blockbook.getString("error")).contains("ws://127.0.0.1:" + echoPort + "/wss/***").doesNotContain(API_KEY);

    JsonObject attempt = line("chainworker.FailoverCaller", "upstream attempt failed");
    assertThat(attempt.getString("pluginId")).isEqualTo("ethereum");
    assertThat(attempt.getString("url")).isEqualTo("http://127.0.0.1:" + echoPort);
    assertThat(attempt.getValue("attempt")).isInstanceOf(Number.class);
    assertThat(attempt.getString("method")).isNotBlank();
    // The node's refusal quoted the keyed path: the key is masked, the rest of the quote kept.
    assertThat(attempt.getString("error")).contains("403", "/v2/***").doesNotContain(API_KEY);

    JsonObject unusable = line("chainworker.ChainFollower", "upstream unusable");
    assertThat(unusable.getString("level")).isEqualTo("WARN");
    assertThat(unusable.getString("pluginId")).isEqualTo("ethereum");
    assertThat(unusable.getValue("lastProcessed")).isInstanceOf(Number.class);
    assertThat(unusable.getString("error")).isNotBlank().doesNotContain(API_KEY);

    String log = text();
    assertThat(log).doesNotContain(API_KEY, ADDRESS, ADDRESS.toLowerCase(), ADDRESS.substring(2).toLowerCase(), BITCOIN_ADDRESS);
    // Every line of this project's own code has constant text: no "key=value", no "{}".
    Pattern keyValueInText = Pattern.compile("\\b\\w+=\\S|\\{}");
    log.lines().map(JsonObject::new)
      .filter(line -> line.getString("logger").matches("(api|app|chainworker|hub|ops|plugins)\\..*"))
      .forEach(line -> assertThat(keyValueInText.matcher(line.getString("msg")).find()).as(line.encode()).isFalse());
  }

  /** The first captured line of this logger with this message, or null. */
  private JsonObject line(String logger, String msg) {
    return text().lines().map(JsonObject::new)
      .filter(line -> logger.equals(line.getString("logger")) && msg.equals(line.getString("msg")))
      .findFirst().orElse(null);
  }

  private String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** A chain whose checkpoint scans fail and whose every watched address is lost at once. */
  private static final class LosingPlugin extends PluginVerticle {
    @Override
    protected List<Chain> createChains(JsonObject config) {
      return List.of(new Chain() {
        private ActivitySink sink;

        @Override
        public String pluginId() {
          return "losing";
        }

        @Override
        public Future<Void> start(ActivitySink sink) {
          this.sink = sink;
          return Future.succeededFuture();
        }

        @Override
        public String normalize(String address) {
          return address;
        }

        @Override
        public Future<Integer> scan(String normalizedAddress, String checkpoint) {
          return Future.failedFuture("upstream refused");
        }

        @Override
        public void watch(String normalizedAddress) {
          vertx.setTimer(100, id -> sink.lost(normalizedAddress));
        }

        @Override
        public void unwatch(String normalizedAddress) {
        }
      });
    }
  }
}
