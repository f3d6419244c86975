package ops;

import api.plugin.ActivitySink;
import api.plugin.Chain;
import api.plugin.PluginVerticle;
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
