package ops;

import api.plugin.Chain;
import api.plugin.ChainStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import plugins.host.SubscriptionBook;
import testkit.PrometheusText;
import testkit.WsTestClient;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard ({@code deploy/grafana/change-server.json}) and the Prometheus alert rules
 * ({@code deploy/prometheus/alerts.yml}) only name series this server exports: every metric name in their PromQL is
 * looked up in the {@code /metrics} of a real hub with the fake plugin, plus the chain meters a plugin with an upstream
 * registers (the fake has none; they are bound here to a chain standing still, as a Blockbook or EVM plugin binds its own).
 */
class DashboardMetricsTest {

  private static final Path DASHBOARD = Path.of("deploy", "grafana", "change-server.json");
  private static final Path ALERTS = Path.of("deploy", "prometheus", "alerts.yml");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
    "group_left", "group_right", "inf", "nan");
  /** A bare identifier not followed by {@code (}: possessive, so that {@code rate(} never leaves {@code rat} behind. */
  private static final Pattern NAME = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

  @Test
  void everySeriesTheDashboardAndTheAlertsNameIsExported() throws IOException {
    List<String> expressions = new ArrayList<>(dashboardExpressions());
    int fromDashboard = expressions.size();
    expressions.addAll(alertExpressions());
    assertThat(fromDashboard).as("dashboard queries").isGreaterThan(20);
    assertThat(expressions.size() - fromDashboard).as("alert rules").isGreaterThanOrEqualTo(5);
    Set<String> used = new TreeSet<>();
    expressions.forEach(expression -> used.addAll(metricNames(expression)));
    assertThat(used).as("what the dashboard and rules are about").contains("change_connection_count", "change_subscription_count",
      "change_event_count_total", "change_bus_request_seconds_sum", "change_bus_request_seconds_count", "change_chain_lag_blocks",
      "change_upstream_up", "change_plugin_instance_count", "change_plugin_instance_expected", "change_close_count_total",
      "change_sublost_count_total", "change_memory_guard_active");

    String metrics = scrape();
    assertThat(PrometheusText.sample(metrics, "change_plugin_instance_expected{pluginId=\"fake\"}")).as("hub.expectedInstances").isEqualTo(1);
    assertThat(PrometheusText.has(metrics, "change_plugin_instance_expected{pluginId=\"upstreamchain\"}")).as("no expectation, no series").isFalse();
    assertThat(missing(metrics, used)).as("series named in PromQL but not exported").isEmpty();
  }

  @Test
  void aMadeUpSeriesIsReportedMissing() {
    String metrics = "# TYPE change_connection_count gauge\nchange_connection_count 2.0\n"
      + "change_bus_request_seconds_count{action=\"subscribe\",outcome=\"ok\",pluginId=\"fake\"} 1.0\n";
    Set<String> used = metricNames("sum(rate(change_bus_request_seconds_count[5m])) / sum(change_conection_count) + change_bus_request_seconds_bucket");
    assertThat(missing(metrics, used)).containsExactly("change_bus_request_seconds_bucket", "change_conection_count");
  }

  @Test
  void metricNamesAreReadOutOfPromQl() {
    assertThat(metricNames("sum by (pluginId, action) (rate(change_bus_request_seconds_sum{job=~\"$job\", outcome=\"ok\"}[$__rate_interval]))"
      + " / on (pluginId) group_left sum(rate(change_bus_request_seconds_count{pluginId=~\"a|b\"}[5m] offset 1h))"))
      .containsExactly("change_bus_request_seconds_count", "change_bus_request_seconds_sum");
    assertThat(metricNames("count(change_upstream_up{pluginId=~\"${pluginId}\"} == 0) or vector(0) > bool 1e3"))
      .containsExactly("change_upstream_up");
    assertThat(metricNames("max(x_total) without (instance) unless ignoring (job) topk(3, y:recorded)")).containsExactly("x_total", "y:recorded");
    assertThat(metricNames("label_values(change_subscription_count, pluginId)")).containsExactly("change_subscription_count");
  }

  /** Every metric name an expression selects: functions, label matchers, grouping lists, ranges and variables left out. */
  static Set<String> metricNames(String promql) {
    String bare = promql
      .replaceAll("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,[^)]*\\)", " $1 ")
      .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
      .replaceAll("\\{[^}]*\\}", " ")
      .replaceAll("\\[[^\\]]*\\]", " ")
      .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
      .replaceAll("\\$\\{[^}]*}|\\$\\w+", " ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = NAME.matcher(bare);
    while (matcher.find()) {
      if (!KEYWORDS.contains(matcher.group().toLowerCase())) {
        names.add(matcher.group());
      }
    }
    return names;
  }

  /** The names of {@code used} with no sample in {@code metrics} (a timer's {@code _count}, {@code _sum}, {@code _max} are exposed as such). */
  static Set<String> missing(String metrics, Set<String> used) {
    Set<String> missing = new TreeSet<>();
    used.stream().filter(name -> !PrometheusText.has(metrics, name)).forEach(missing::add);
    return missing;
  }

  /** The panels' target expressions and the template variables' queries. */
  private static List<String> dashboardExpressions() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    List<String> expressions = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets", new JsonArray())) {
        expressions.add(((JsonObject) target).getString("expr"));
      }
    }
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      Object query = ((JsonObject) variable).getValue("query");
      if (((JsonObject) variable).getString("type").equals("query")) {
        expressions.add(query instanceof JsonObject object ? object.getString("query") : String.valueOf(query));
      }
    }
    assertThat(expressions).doesNotContainNull();
    return expressions;
  }

  @SuppressWarnings("unchecked")
  private static List<String> alertExpressions() throws IOException {
    List<String> expressions = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(ALERTS)) {
      Map<String, Object> rules = new Yaml().load(reader);
      for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          assertThat(rule).containsKeys("alert", "expr");
          expressions.add(String.valueOf(rule.get("expr")));
        }
      }
    }
    return expressions;
  }

  /**
   * The hub's /metrics after a subscription and an update went through it, with an expectation configured and the
   * meters of a chain with an upstream bound to its registry.
   */
  private static String scrape() {
    try (MeteredHub hub = MeteredHub.start(new JsonObject().put("expectedInstances", new JsonObject().put("fake", 1)))) {
      WsTestClient client = hub.connect();
      assertThat(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"a1\"]],\"id\":0}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");
      client.next(Duration.ofSeconds(10));
      new PluginMeters(Metrics.of(hub.vertx()).registry(), new ChainWithUpstream(), new SubscriptionBook());
      return hub.get("metrics").body();
    }
  }

  /** A chain whose upstream is up at height 100, processed up to 98: what registers the chain and upstream series. */
  private static final class ChainWithUpstream implements Chain {

    @Override
    public String pluginId() {
      return "upstreamchain";
    }

    @Override
    public String normalize(String address) {
      return address;
    }

    @Override
    public Future<Integer> scan(String normalizedAddress, String checkpoint) {
      return Future.succeededFuture(0);
    }

    @Override
    public void watch(String normalizedAddress) {
    }

    @Override
    public void unwatch(String normalizedAddress) {
    }

    @Override
    public ChainStatus status() {
      return new ChainStatus(100, 98, true, 0, 0);
    }
  }
}
