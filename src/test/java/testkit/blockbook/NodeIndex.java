package testkit.blockbook;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import testkit.LitecoindNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Blockbook's database would hold, built from a real node over JSON-RPC: every block from genesis
 * ({@code getblock <hash> 2}), the mempool (polled with {@code getrawmempool}), and per address the transactions that
 * touch it through an output or an input. Follows the node by polling; reorgs are not handled. Used from one context.
 */
final class NodeIndex {

  /** Where the index reports what it learns, in the node's order. */
  interface Listener {
    void mempoolTx(IndexedTx tx);

    void blockConnected(long height, String hash, List<IndexedTx> txs);
  }

  private final Context context;
  private final LitecoindNode node;
  private final long pollMs;
  private final Map<String, IndexedTx> txs = new HashMap<>();
  private final Map<String, Set<String>> txidsByAddress = new HashMap<>();
  /** "txid:n" → the address it pays, to attribute inputs. */
  private final Map<String, String> outputAddress = new HashMap<>();
  private final List<String> hashes = new ArrayList<>();
  private final Listener listener;
  private long timer = -1;
  private boolean stopped;

  NodeIndex(Context context, LitecoindNode node, long pollMs, Listener listener) {
    this.context = context;
    this.node = node;
    this.pollMs = pollMs;
    this.listener = listener;
  }

  /** Indexes the chain as it is now, then keeps following it. Call on the index's context. */
  Future<Void> start() {
    return catchUp().onSuccess(v -> schedule());
  }

  void stop() {
    stopped = true;
    context.owner().cancelTimer(timer);
  }

  long tip() {
    return hashes.size() - 1;
  }

  String hash(long height) {
    return hashes.get((int) height);
  }

  IndexedTx tx(String txid) {
    return txs.get(txid);
  }

  /** Every transaction touching the address, mempool included. */
  List<IndexedTx> history(String address) {
    return txidsByAddress.getOrDefault(address, Set.of()).stream().map(txs::get).toList();
  }

  private void schedule() {
    if (!stopped) {
      timer = context.owner().setTimer(pollMs, t -> catchUp().onComplete(r -> schedule()));
    }
  }

  private Future<Void> catchUp() {
    return this.<Number>rpc("getblockcount")
      .compose(count -> nextBlocks(count.longValue()))
      .compose(v -> mempool());
  }

  private Future<Void> nextBlocks(long count) {
    long height = tip() + 1;
    if (height > count || stopped) {
      return Future.succeededFuture();
    }
    return this.<String>rpc("getblockhash", height)
      .compose(hash -> this.<JsonObject>rpc("getblock", hash, 2))
      .compose(block -> {
        connect(height, block);
        return nextBlocks(count);
      });
  }

  private void connect(long height, JsonObject block) {
    String hash = block.getString("hash");
    long time = block.getLong("time");
    List<IndexedTx> confirmed = new ArrayList<>();
    for (Object raw : block.getJsonArray("tx")) {
      JsonObject tx = (JsonObject) raw;
      IndexedTx known = txs.get(tx.getString("txid"));
      IndexedTx indexed = (known != null ? known : index(tx)).confirmed(height, hash, time);
      txs.put(indexed.txid(), indexed);
      confirmed.add(indexed);
    }
    hashes.add(hash);
    listener.blockConnected(height, hash, confirmed);
  }

  private Future<Void> mempool() {
    return this.<JsonArray>rpc("getrawmempool").compose(pool -> {
      List<Future<JsonObject>> fetched = new ArrayList<>();
      for (Object txid : pool) {
        if (!txs.containsKey((String) txid)) {
          fetched.add(rpc("getrawtransaction", txid, true));
        }
      }
      return Future.all(fetched).map(all -> {
        List<JsonObject> fresh = all.list();
        // Outputs first: a mempool tx may spend another one fetched in the same round, in any order.
        fresh.forEach(this::indexOutputs);
        fresh.stream().map(this::index).forEach(tx -> {
          txs.put(tx.txid(), tx);
          listener.mempoolTx(tx);
        });
        return null;
      });
    });
  }

  private void indexOutputs(JsonObject tx) {
    for (Object raw : tx.getJsonArray("vout")) {
      JsonObject out = (JsonObject) raw;
      JsonArray addresses = out.getJsonObject("scriptPubKey").getJsonArray("addresses");
      if (addresses != null && addresses.size() == 1) {
        outputAddress.put(tx.getString("txid") + ":" + out.getInteger("n"), addresses.getString(0));
      }
    }
  }

  private IndexedTx index(JsonObject tx) {
    String txid = tx.getString("txid");
    indexOutputs(tx);
    Set<String> touched = new LinkedHashSet<>();
    JsonArray vin = new JsonArray();
    JsonArray inputs = tx.getJsonArray("vin");
    for (int n = 0; n < inputs.size(); n++) {
      JsonObject in = inputs.getJsonObject(n);
      String address = in.containsKey("txid") ? outputAddress.get(in.getString("txid") + ":" + in.getInteger("vout")) : null;
      JsonObject rendered = new JsonObject().put("n", n).put("isAddress", address != null);
      if (address != null) {
        touched.add(address);
        rendered.put("addresses", new JsonArray().add(address));
      }
      vin.add(rendered);
    }
    JsonArray vout = new JsonArray();
    for (Object raw : tx.getJsonArray("vout")) {
      JsonObject out = (JsonObject) raw;
      JsonArray addresses = out.getJsonObject("scriptPubKey").getJsonArray("addresses", new JsonArray());
      addresses.forEach(a -> touched.add((String) a));
      vout.add(new JsonObject().put("value", satoshis(out.getValue("value"))).put("n", out.getInteger("n"))
        .put("addresses", addresses.copy()).put("isAddress", !addresses.isEmpty()));
    }
    touched.forEach(address -> txidsByAddress.computeIfAbsent(address, a -> new LinkedHashSet<>()).add(txid));
    return new IndexedTx(txid, -1, null, 0, touched, vin, vout, tx.getString("hex"));
  }

  private static String satoshis(Object coins) {
    return new BigDecimal(coins.toString()).movePointRight(8).toBigInteger().toString();
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> rpc(String method, Object... params) {
    return Future.fromCompletionStage(node.rpcAsync(method, params), context).map(result -> (T) result);
  }
}
