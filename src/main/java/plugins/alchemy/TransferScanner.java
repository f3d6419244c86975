package plugins.alchemy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Checkpoint scans through {@code alchemy_getAssetTransfers}: any transfer from or to the address in a block after the
 * checkpoint, in every category the network supports, zero-value ones included (a contract call with no value still
 * changes the sender's balance by its fee). {@code maxCount} 1: one transfer is enough to know. One retry after a 429.
 */
final class TransferScanner {

  private static final long RETRY_AFTER_429_MS = 500;

  private final Vertx vertx;
  private final JsonHttp http;
  private final String url;
  private final AlchemyNetwork network;

  TransferScanner(Vertx vertx, JsonHttp http, String url, AlchemyNetwork network) {
    this.vertx = vertx;
    this.http = http;
    this.url = url;
    this.network = network;
  }

  /** Whether the address sent or received anything from block {@code fromBlock} on. */
  Future<Boolean> anySince(String address, long fromBlock) {
    return page("fromAddress", address, fromBlock).compose(sent -> sent ? Future.succeededFuture(true) : page("toAddress", address, fromBlock));
  }

  private Future<Boolean> page(String direction, String address, long fromBlock) {
    JsonObject filter = new JsonObject()
      .put("fromBlock", "0x" + Long.toHexString(fromBlock))
      .put("toBlock", "latest")
      .put(direction, address)
      .put("category", new JsonArray(network.categories()))
      .put("excludeZeroValue", false)
      .put("withMetadata", false)
      .put("maxCount", "0x1");
    JsonObject request = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "alchemy_getAssetTransfers")
      .put("params", new JsonArray().add(filter));
    return call(request).recover(failure -> failure instanceof JsonHttp.Status status && status.code == 429
      ? vertx.timer(RETRY_AFTER_429_MS).compose(v -> call(request))
      : Future.failedFuture(failure));
  }

  private Future<Boolean> call(JsonObject request) {
    return http.call(HttpMethod.POST, url, Map.of(), request).map(reply -> {
      if (reply.getValue("error") != null || !(reply.getValue("result") instanceof JsonObject result)) {
        throw new IllegalStateException("alchemy_getAssetTransfers failed: " + reply.getValue("error"));
      }
      JsonArray transfers = result.getJsonArray("transfers", new JsonArray());
      return !transfers.isEmpty();
    });
  }
}
