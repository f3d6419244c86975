package plugins.blockbook;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** What the address connections report to their chain. */
interface AddressEvents {

  /** A subscribeAddresses notification: {@code tx} touched {@code address} (as Blockbook writes it). */
  void addressTx(String address, JsonObject tx);

  /**
   * A connection is subscribed again after being down; its addresses may have had activity meanwhile, after block
   * {@code lastHeightBefore} (-1 when no height was known).
   */
  void resumed(List<String> addresses, long lastHeightBefore);

  /** A connection stayed down too long: its addresses can no longer be watched. */
  void lost(List<String> addresses);

  /** The last block height the chain has seen, -1 when none yet. */
  long lastHeight();
}
