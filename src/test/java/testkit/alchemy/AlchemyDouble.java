package testkit.alchemy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Alchemy on loopback, a real HTTP server: the Notify API ({@code /api/team-webhooks}, {@code /api/create-webhook},
 * {@code /api/update-webhook-addresses} PATCH, {@code /api/webhook-addresses}) with Alchemy's documented limits (at
 * most 500 addresses per list per call, a per-webhook capacity), {@code alchemy_getAssetTransfers} on
 * {@code /rpc/<host>/v2/<apiKey>} over the transfers a test records, and a webhook sender that signs deliveries as
 * Alchemy does (hex HMAC-SHA256 of the raw body under the webhook's signing key, in {@code X-Alchemy-Signature}) and
 * posts them to the URL the webhook was created with. Call its methods from the test thread.
 *
 * <p>Not reproduced: Alchemy's own retries of failed deliveries and its pausing of failing webhooks, rate limits other
 * than the 429s a test asks for, update-webhook (URL change), delete-webhook, the replace (PUT) form, pagination of
 * team-webhooks, case handling of addresses other than lower-casing EVM ones, the full transfer objects (only
 * {@code blockNum}, {@code from}, {@code to}, {@code category}), {@code pageKey} paging and {@code order} of
 * getAssetTransfers, any check of {@code fromBlock}/{@code toBlock} forms other than hex and "latest", and Solana
 * payload fields beyond the account keys, token balance owners and slot.
 */
public final class AlchemyDouble implements AutoCloseable {

  private final Vertx vertx;
  private final String authToken;
  private final int maxAddressesPerWebhook;
  private final HttpClient sender;
  /**
   * Every delivery is sent from this one context, as a verticle would. Called straight from test threads (a new context
   * each time), Vert.x 5.0.7's client now and then never wrote a request although pooled connections were idle.
   */
  private final Context senderContext;
  private HttpServer server;

  private final Map<String, Hook> hooks = new LinkedHashMap<>();
  private final List<Transfer> transfers = new ArrayList<>();
  private final Deque<Integer> notifyFailures = new ArrayDeque<>();
  private final AtomicInteger createCalls = new AtomicInteger();
  private final AtomicInteger updateCalls = new AtomicInteger();
  private final AtomicInteger rejectedCalls = new AtomicInteger();
  private final AtomicInteger largestList = new AtomicInteger();

  private static final class Hook {
    final String id;
    final String network;
    final String url;
    final String signingKey;
    final Set<String> addresses = new LinkedHashSet<>();

    Hook(String id, String network, String url, String signingKey) {
      this.id = id;
      this.network = network;
      this.url = url;
      this.signingKey = signingKey;
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("network", network).put("webhook_type", "ADDRESS_ACTIVITY").put("webhook_url", url)
        .put("is_active", true).put("time_created", 0L).put("signing_key", signingKey).put("version", "V2");
    }
  }

  private record Transfer(String host, String from, String to, long block, String category) {
  }

  /** The Notify API limit per list per call, as documented. */
  public static final int MAX_PER_CALL = 500;

  public AlchemyDouble(Vertx vertx, String authToken, int maxAddressesPerWebhook) {
    this.vertx = vertx;
    this.authToken = authToken;
    this.maxAddressesPerWebhook = maxAddressesPerWebhook;
    this.sender = vertx.createHttpClient();
    this.senderContext = vertx.getOrCreateContext();
  }

  public AlchemyDouble start() {
    server = join(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
    return this;
  }

  public String notifyUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/api";
  }

  /** The RPC URL template the plugin fills ({@code {host}}, {@code {{apiKey}}}). */
  public String rpcUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/rpc/{host}/v2/{{apiKey}}";
  }

  // --- what tests arrange and look at -------------------------------------------------------------------------------

  /** The next {@code times} Notify API calls answer {@code status} (429, 503...). */
  public synchronized void failNotify(int status, int times) {
    for (int i = 0; i < times; i++) {
      notifyFailures.add(status);
    }
  }

  public synchronized void recordTransfer(String rpcHost, String from, String to, long block, String category) {
    transfers.add(new Transfer(rpcHost, lower(from), lower(to), block, category));
  }

  public synchronized Set<String> addresses(String network) {
    return hooks.values().stream().filter(h -> h.network.equals(network)).findFirst().map(h -> Set.copyOf(h.addresses)).orElse(Set.of());
  }

  public synchronized long webhookCount(String network) {
    return hooks.values().stream().filter(h -> h.network.equals(network)).count();
  }

  /** Puts an address on the network's webhook behind the plugin's back (a removal that was lost). */
  public synchronized void addBehindTheBack(String network, String address) {
    hook(network).addresses.add(lower(address));
  }

  /** The signing key of the network's webhook (for tests that sign raw bodies themselves). */
  public synchronized String signingKey(String network) {
    return hook(network).signingKey;
  }

  public int createCalls() {
    return createCalls.get();
  }

  public int updateCalls() {
    return updateCalls.get();
  }

  /** Calls refused for breaking a documented limit: a correct client makes none. */
  public int rejectedCalls() {
    return rejectedCalls.get();
  }

  /** The longest address list any create or update call carried. */
  public int largestList() {
    return largestList.get();
  }

  // --- the webhook sender ---------------------------------------------------------------------------------------------

  /** An EVM ADDRESS_ACTIVITY payload with one activity per {@code activities} entry (from, to, block, category). */
  public synchronized JsonObject evmPayload(String network, List<Activity> activities) {
    Hook hook = hook(network);
    JsonArray list = new JsonArray();
    for (Activity activity : activities) {
      JsonObject item = new JsonObject()
        .put("blockNum", "0x" + Long.toHexString(activity.block()))
        .put("hash", "0x" + "ab".repeat(32))
        .put("fromAddress", activity.from())
        .put("toAddress", activity.to())
        .put("value", 1.5)
        .put("asset", "ETH")
        .put("category", activity.category())
        .put("rawContract", new JsonObject().put("rawValue", "0x14d1120d7b160000").put("decimals", 18));
      if (!activity.category().equals("external") && !activity.category().equals("internal")) {
        item.put("log", new JsonObject().put("address", "0x" + "cd".repeat(20))
          .put("topics", new JsonArray().add("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
            .add(topic(activity.from())).add(topic(activity.to())))
          .put("data", "0x").put("blockNumber", "0x" + Long.toHexString(activity.block())).put("transactionHash", "0x" + "ab".repeat(32))
          .put("transactionIndex", "0x0").put("blockHash", "0x" + "ef".repeat(32)).put("logIndex", "0x0").put("removed", false));
      }
      list.add(item);
    }
    return envelope(hook, new JsonObject().put("network", network).put("activity", list));
  }

  /** A Solana ADDRESS_ACTIVITY payload: one transaction at {@code slot} whose message has these account keys. */
  public synchronized JsonObject solanaPayload(String network, long slot, List<String> accountKeys) {
    Hook hook = hook(network);
    JsonObject message = new JsonObject().put("account_keys", new JsonArray(accountKeys)).put("recent_blockhash", "11111111111111111111111111111111")
      .put("instructions", new JsonArray());
    JsonObject tx = new JsonObject().put("signature", "5".repeat(88)).put("transaction", new JsonArray()
        .add(new JsonObject().put("signatures", new JsonArray().add("5".repeat(88))).put("message", new JsonArray().add(message))))
      .put("meta", new JsonArray().add(new JsonObject().put("fee", 5000).put("pre_token_balances", new JsonArray()).put("post_token_balances", new JsonArray())))
      .put("index", 0).put("is_vote", false);
    return envelope(hook, new JsonObject().put("transaction", new JsonArray().add(tx)).put("slot", slot).put("network", network));
  }

  /** Posts {@code payload} to its webhook's URL, signed with its key; the HTTP status the plugin answered. */
  public int deliver(JsonObject payload) {
    String key;
    String url;
    synchronized (this) {
      Hook hook = hooks.get(payload.getString("webhookId"));
      key = hook.signingKey;
      url = hook.url;
    }
    Buffer body = payload.toBuffer();
    return post(url, body, sign(key, body.getBytes()));
  }

  /** Posts {@code payload} signed with a key that is not the webhook's (a forgery); the HTTP status. */
  public int deliverForged(JsonObject payload) {
    String url;
    synchronized (this) {
      url = hooks.get(payload.getString("webhookId")).url;
    }
    Buffer body = payload.toBuffer();
    return post(url, body, sign("not-the-signing-key", body.getBytes()));
  }

  /** Posts raw bytes with the given signature header (null: none) to the network's webhook URL. */
  public int postTo(String network, Buffer body, String signature) {
    String url;
    synchronized (this) {
      url = hook(network).url;
    }
    return post(url, body, signature);
  }

  public record Activity(String from, String to, long block, String category) {
  }

  public static String sign(String key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private int post(String url, Buffer body, String signature) {
    Promise<Integer> status = Promise.promise();
    senderContext.runOnContext(v -> sender.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)).compose(request -> {
      request.putHeader("Content-Type", "application/json");
      if (signature != null) {
        request.putHeader("X-Alchemy-Signature", signature);
      }
      return request.send(body);
    }).compose(response -> response.body().map(b -> response.statusCode())).onComplete(status));
    return join(status.future());
  }

  private Hook hook(String network) {
    return hooks.values().stream().filter(h -> h.network.equals(network)).findFirst()
      .orElseThrow(() -> new AssertionError("no webhook for " + network + " at the double"));
  }

  private static JsonObject envelope(Hook hook, JsonObject event) {
    return new JsonObject().put("webhookId", hook.id).put("id", "whevt_" + UUID.randomUUID().toString().replace("-", ""))
      .put("createdAt", Instant.now().toString()).put("type", "ADDRESS_ACTIVITY").put("event", event);
  }

  private static String topic(String address) {
    return "0x" + "0".repeat(24) + address.substring(2).toLowerCase(Locale.ROOT);
  }

  // --- the server -----------------------------------------------------------------------------------------------------

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      String path = request.path();
      if (path.startsWith("/rpc/")) {
        rpc(request, path.split("/")[2], body);
        return;
      }
      Integer failure;
      synchronized (this) {
        failure = notifyFailures.poll();
      }
      if (!authToken.equals(request.getHeader("X-Alchemy-Token"))) {
        reply(request, 401, new JsonObject().put("message", "Unauthenticated"));
      } else if (failure != null) {
        reply(request, failure, new JsonObject().put("message", "failing on request"));
      } else {
        synchronized (this) {
          notify(request, path, body);
        }
      }
    });
  }

  private void notify(HttpServerRequest request, String path, Buffer body) {
    switch (request.method().name() + " " + path) {
      case "GET /api/team-webhooks" -> reply(request, 200, new JsonObject().put("data", new JsonArray(hooks.values().stream().map(Hook::toJson).toList())));
      case "POST /api/create-webhook" -> {
        createCalls.incrementAndGet();
        JsonObject json = body.toJsonObject();
        List<String> addresses = strings(json.getJsonArray("addresses", new JsonArray()));
        if (!"ADDRESS_ACTIVITY".equals(json.getString("webhook_type")) || addresses.size() > MAX_PER_CALL || addresses.size() > maxAddressesPerWebhook) {
          rejected(request, "invalid create-webhook");
          return;
        }
        largestList.accumulateAndGet(addresses.size(), Math::max);
        Hook hook = new Hook("wh_" + UUID.randomUUID().toString().substring(0, 12), json.getString("network"), json.getString("webhook_url"),
          "whsec_" + UUID.randomUUID().toString().replace("-", ""));
        addresses.forEach(address -> hook.addresses.add(lower(address)));
        hooks.put(hook.id, hook);
        reply(request, 200, new JsonObject().put("data", hook.toJson()));
      }
      case "PATCH /api/update-webhook-addresses" -> {
        updateCalls.incrementAndGet();
        JsonObject json = body.toJsonObject();
        Hook hook = hooks.get(json.getString("webhook_id"));
        List<String> add = strings(json.getJsonArray("addresses_to_add", new JsonArray()));
        List<String> remove = strings(json.getJsonArray("addresses_to_remove", new JsonArray()));
        if (hook == null) {
          reply(request, 404, new JsonObject().put("message", "Webhook not found"));
          return;
        }
        if (add.size() > MAX_PER_CALL || remove.size() > MAX_PER_CALL) {
          rejected(request, "more than " + MAX_PER_CALL + " addresses in a list");
          return;
        }
        largestList.accumulateAndGet(Math.max(add.size(), remove.size()), Math::max);
        Set<String> after = new LinkedHashSet<>(hook.addresses);
        remove.forEach(address -> after.remove(lower(address)));
        add.forEach(address -> after.add(lower(address)));
        if (after.size() > maxAddressesPerWebhook) {
          rejected(request, "webhook capacity exceeded");
          return;
        }
        hook.addresses.clear();
        hook.addresses.addAll(after);
        reply(request, 200, new JsonObject());
      }
      case "GET /api/webhook-addresses" -> {
        Hook hook = hooks.get(request.getParam("webhook_id"));
        if (hook == null) {
          reply(request, 404, new JsonObject().put("message", "Webhook not found"));
          return;
        }
        int limit = Math.min(100, Integer.parseInt(request.getParam("limit", "100")));
        int start = Integer.parseInt(request.getParam("after", "0"));
        List<String> all = List.copyOf(hook.addresses);
        List<String> page = all.subList(Math.min(start, all.size()), Math.min(start + limit, all.size()));
        String next = start + limit < all.size() ? Integer.toString(start + limit) : null;
        reply(request, 200, new JsonObject().put("data", new JsonArray(page))
          .put("pagination", new JsonObject().put("cursors", new JsonObject().put("after", next)).put("total_count", all.size())));
      }
      default -> reply(request, 404, new JsonObject().put("message", "no such endpoint"));
    }
  }

  private void rpc(HttpServerRequest request, String host, Buffer body) {
    JsonObject call = body.toJsonObject();
    if (!"alchemy_getAssetTransfers".equals(call.getString("method"))) {
      reply(request, 200, new JsonObject().put("jsonrpc", "2.0").put("id", call.getValue("id"))
        .put("error", new JsonObject().put("code", -32601).put("message", "Method not found")));
      return;
    }
    JsonObject filter = call.getJsonArray("params").getJsonObject(0);
    long fromBlock = Long.parseLong(filter.getString("fromBlock", "0x0").substring(2), 16);
    String from = lower(filter.getString("fromAddress"));
    String to = lower(filter.getString("toAddress"));
    List<String> categories = strings(filter.getJsonArray("category", new JsonArray()));
    int maxCount = Integer.parseInt(filter.getString("maxCount", "0x3e8").substring(2), 16);
    JsonArray found = new JsonArray();
    synchronized (this) {
      for (Transfer transfer : transfers) {
        boolean matches = transfer.host().equals(host) && transfer.block() >= fromBlock && categories.contains(transfer.category())
          && (from == null || from.equals(transfer.from())) && (to == null || to.equals(transfer.to()));
        if (matches && found.size() < maxCount) {
          found.add(new JsonObject().put("blockNum", "0x" + Long.toHexString(transfer.block())).put("from", transfer.from())
            .put("to", transfer.to()).put("category", transfer.category()));
        }
      }
    }
    reply(request, 200, new JsonObject().put("jsonrpc", "2.0").put("id", call.getValue("id")).put("result", new JsonObject().put("transfers", found)));
  }

  private void rejected(HttpServerRequest request, String message) {
    rejectedCalls.incrementAndGet();
    reply(request, 400, new JsonObject().put("message", message));
  }

  private static void reply(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String.class::cast).toList();
  }

  /** EVM addresses are kept lower-case; anything else (Solana) as given. */
  private static String lower(String address) {
    return address != null && address.startsWith("0x") ? address.toLowerCase(Locale.ROOT) : address;
  }

  @Override
  public void close() {
    if (server != null) {
      join(server.close());
    }
    join(sender.close());
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
