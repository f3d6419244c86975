package chainworker;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Etherscan-compatible account API on 127.0.0.1, answering as the real one does: {@code status "1"} with entries,
 * {@code status "0"} / "No transactions found" with an empty list, {@code "NOTOK"} with the reason in {@code result} for
 * a bad key or action. It knows only what the test tells it, and records every query it gets (with its path). Started
 * without a key, it answers without one, as Etherscan v1 clones (Blockscout, Routescan) do, and refuses a query that
 * carries a {@code chainid} (a v1 API has none).
 */
final class FakeEtherscan {

  private static final Set<String> ACTIONS = Set.of("txlist", "txlistinternal", "tokentx", "tokennfttx", "token1155tx");

  private final String apiKey;
  private final HttpServer server;
  /** "action address" → block heights with an entry. */
  private final Map<String, List<Long>> entries = new ConcurrentHashMap<>();
  private final List<MultiMap> queries = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  private FakeEtherscan(Vertx vertx, String apiKey) {
    this.apiKey = apiKey;
    this.server = vertx.createHttpServer().requestHandler(request -> {
      queries.add(MultiMap.caseInsensitiveMultiMap().addAll(request.params()));
      paths.add(request.path());
      request.response().putHeader("Content-Type", "application/json").end(answer(request.params()).encode());
    });
  }

  /** {@code apiKey}: the key every query must carry, or null for a keyless v1 API. */
  static Future<FakeEtherscan> start(Vertx vertx, int port, String apiKey) {
    FakeEtherscan fake = new FakeEtherscan(vertx, apiKey);
    return fake.server.listen(port, "127.0.0.1").map(fake);
  }

  /** The address has an entry of that list (e.g. txlist) in that block. */
  void add(String action, String address, long block) {
    entries.computeIfAbsent(action + " " + address, key -> new CopyOnWriteArrayList<>()).add(block);
  }

  List<MultiMap> queries() {
    return queries;
  }

  /** The request path of every query, in order. */
  List<String> paths() {
    return paths;
  }

  private JsonObject answer(MultiMap params) {
    if (apiKey != null && !apiKey.equals(params.get("apikey"))) {
      return notOk("Invalid API Key");
    }
    if (apiKey == null && params.contains("chainid")) {
      return notOk("Unknown parameter chainid");
    }
    if (!"account".equals(params.get("module")) || !ACTIONS.contains(params.get("action"))) {
      return notOk("Error! Missing Or invalid Action name");
    }
    long start = Long.parseLong(params.get("startblock"));
    long end = Long.parseLong(params.get("endblock"));
    JsonArray found = new JsonArray();
    entries.getOrDefault(params.get("action") + " " + params.get("address"), List.of()).stream()
      .filter(block -> block >= start && block <= end)
      .limit(Long.parseLong(params.get("offset")))
      .forEach(block -> found.add(new JsonObject().put("blockNumber", Long.toString(block))));
    return found.isEmpty()
      ? new JsonObject().put("status", "0").put("message", "No transactions found").put("result", found)
      : new JsonObject().put("status", "1").put("message", "OK").put("result", found);
  }

  private static JsonObject notOk(String reason) {
    return new JsonObject().put("status", "0").put("message", "NOTOK").put("result", reason);
  }
}
