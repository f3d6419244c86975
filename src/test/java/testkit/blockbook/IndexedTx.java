package testkit.blockbook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * A node transaction as the double knows it: the addresses it touches (outputs, and inputs through the outputs they
 * spend) and its Blockbook rendering. {@code height} is -1 while in the mempool.
 *
 * @param vin  Blockbook-shaped inputs ({@code n}, {@code addresses}, {@code isAddress}, {@code value})
 * @param vout Blockbook-shaped outputs
 */
record IndexedTx(String txid, long height, String blockHash, long blockTime, Set<String> addresses, JsonArray vin, JsonArray vout, String hex) {

  IndexedTx confirmed(long atHeight, String hash, long time) {
    return new IndexedTx(txid, atHeight, hash, time, addresses, vin, vout, hex);
  }

  boolean inMempool() {
    return height < 0;
  }

  /** Blockbook's tx JSON: mempool transactions have {@code blockHeight} -1 and 0 confirmations. */
  JsonObject toBlockbookJson(long tip) {
    JsonObject json = new JsonObject().put("txid", txid).put("version", 2).put("vin", vin.copy()).put("vout", vout.copy())
      .put("blockHeight", height).put("confirmations", inMempool() ? 0 : tip - height + 1).put("hex", hex);
    if (!inMempool()) {
      json.put("blockHash", blockHash).put("blockTime", blockTime);
    }
    return json;
  }
}
