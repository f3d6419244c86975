package plugins.blockbook;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mempool transactions seen for watched addresses, kept until they confirm: each new block asks whether they are
 * mined, whatever the server, since confirmed notifications ({@code newBlockTxs}) are best effort on v0.6.0 and absent
 * before it. At most {@code max} are kept: each costs a request per block, out of a connection's message budget.
 */
final class PendingTxs {

  private final Map<String, Set<String>> addressesByTxid = new HashMap<>();
  private final int max;

  PendingTxs(int max) {
    this.max = max;
  }

  /** Keeps the transaction pending for the address; false when it is new and {@code max} are pending already. */
  boolean add(String txid, String address) {
    Set<String> addresses = addressesByTxid.get(txid);
    if (addresses == null) {
      if (addressesByTxid.size() >= max) {
        return false;
      }
      addresses = new HashSet<>(2);
      addressesByTxid.put(txid, addresses);
    }
    addresses.add(address);
    return true;
  }

  /** Forgets a transaction; returns the addresses it touched (empty if it was not pending). */
  Set<String> remove(String txid) {
    Set<String> addresses = addressesByTxid.remove(txid);
    return addresses == null ? Set.of() : addresses;
  }

  /** Forgets one address of a transaction (its confirmation was notified for that address alone). */
  void remove(String txid, String address) {
    Set<String> addresses = addressesByTxid.get(txid);
    if (addresses != null && addresses.remove(address) && addresses.isEmpty()) {
      addressesByTxid.remove(txid);
    }
  }

  List<String> txids() {
    return List.copyOf(addressesByTxid.keySet());
  }
}
