package chainworker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import ops.UpstreamCounters;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * An Etherscan-compatible account API, asked by checkpoint scans only when the node cannot answer from state (CHAINS.md):
 * "any transaction, internal transfer or token transfer of this address in blocks {@code from..to}?". One page of one
 * entry per list, lists asked one after another until one has something. URLs are tried in turn (several providers or
 * keys), with the same bounded retries as RPC calls, on the worker pool. Two dialects: Etherscan v2 ({@code chainid} in
 * the configured URL) asks every list; Etherscan v1 clones (Blockscout, Routescan, Teloscan…) are asked the three lists
 * Edge's {@code etherscan-v1} adapter asks, which every one of them serves.
 */
final class EtherscanClient {

  /** The lists that together hold what per-block matching sees: transactions, internal transfers, token transfers. */
  static final List<String> V2_ACTIONS = List.of("txlist", "txlistinternal", "tokentx", "tokennfttx", "token1155tx");
  /** Edge's etherscan-v1 adapter's lists, in its order; NFT lists are not served by every v1 clone. */
  static final List<String> V1_ACTIONS = List.of("txlist", "tokentx", "txlistinternal");

  private final BlockingHttp http;
  private final FailoverCaller<Upstream> caller;
  private final List<String> actions;

  private EtherscanClient(BlockingHttp http, FailoverCaller<Upstream> caller, List<String> actions) {
    this.http = http;
    this.caller = caller;
    this.actions = actions;
  }

  /**
   * {@code upstreams}: the API's URLs, with {@code chainid} and {@code apikey} in their query where needed;
   * {@code actions}: the lists asked, {@link #V2_ACTIONS} or {@link #V1_ACTIONS}.
   */
  static EtherscanClient create(Vertx vertx, EvmSettings settings, List<Upstream> upstreams, List<String> actions, UpstreamCounters counters) {
    BlockingHttp http = BlockingHttp.create(vertx, "etherscan-" + settings.pluginId(), 2, settings.callTimeoutMs());
    FailoverCaller<Upstream> caller =
      new FailoverCaller<>(vertx, settings.pluginId(), http, upstreams, Function.identity(), settings.maxAttempts(), settings.retryBackoffMs(), counters);
    return new EtherscanClient(http, caller, actions);
  }

  Future<Boolean> hasActivity(String address, long fromBlock, long toBlock) {
    Promise<Boolean> answer = Promise.promise();
    ask(0, address, fromBlock, toBlock, answer);
    return answer.future();
  }

  Future<Void> close() {
    return http.close();
  }

  private void ask(int action, String address, long fromBlock, long toBlock, Promise<Boolean> answer) {
    if (action == actions.size()) {
      answer.complete(false);
      return;
    }
    list(actions.get(action), address, fromBlock, toBlock).onFailure(answer::fail).onSuccess(found -> {
      if (found) {
        answer.complete(true);
      } else {
        ask(action + 1, address, fromBlock, toBlock, answer);
      }
    });
  }

  private Future<Boolean> list(String action, String address, long fromBlock, long toBlock) {
    return caller.call(action, upstream -> {
      HttpUrl url = HttpUrl.get(upstream.url()).newBuilder()
        .addQueryParameter("module", "account")
        .addQueryParameter("action", action)
        .addQueryParameter("address", address)
        .addQueryParameter("startblock", Long.toString(fromBlock))
        .addQueryParameter("endblock", Long.toString(toBlock))
        .addQueryParameter("page", "1")
        .addQueryParameter("offset", "1")
        .addQueryParameter("sort", "asc")
        .build();
      try (Response response = http.client().newCall(new Request.Builder().url(url).build()).execute()) {
        ResponseBody body = response.body();
        if (!response.isSuccessful() || body == null) {
          throw new IOException("HTTP " + response.code());
        }
        return found(action, new JsonObject(body.string()));
      }
    });
  }

  /**
   * {@code status} "1" with entries: found. {@code status} "0" with an empty list: "No transactions found". Anything else
   * ("NOTOK" with a reason in {@code result}: rate limit, bad key) is a failure, retried like a transport error.
   */
  private static boolean found(String action, JsonObject reply) {
    Object result = reply.getValue("result");
    if (result instanceof JsonArray entries && ("1".equals(reply.getString("status")) || entries.isEmpty())) {
      return !entries.isEmpty();
    }
    throw new IllegalStateException(action + " refused: " + reply.getString("message") + " " + result);
  }
}
