package plugins.blockbook;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mempool transactions seen for watched addresses, kept until they confirm, for servers that do not notify
 * confirmations themselves ({@code newBlockTxs} off): each new block then asks whether they are mined.
 */
final class PendingTxs {

  private final Map<String, Set<String>> addressesByTxid = new HashMap<>();

  void add(String txid, String address) {
    addressesByTxid.computeIfAbsent(txid, t -> new HashSet<>(2)).add(address);
  }

  /** Forgets a transaction; returns the addresses it touched (empty if it was not pending). */
  Set<String> remove(String txid) {
    Set<String> addresses = addressesByTxid.remove(txid);
    return addresses == null ? Set.of() : addresses;
  }

  List<String> txids() {
    return List.copyOf(addressesByTxid.keySet());
  }
}
