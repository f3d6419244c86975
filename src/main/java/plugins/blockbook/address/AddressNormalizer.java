package plugins.blockbook.address;

/**
 * Validates an address for one chain and network and gives the form used for matching, which is the form Blockbook
 * names it by in its notifications: bech32 in lower case, cashaddr as lower-case {@code prefix:payload} (legacy Bitcoin
 * Cash addresses converted to it), base58 as written except a P2SH address in a version the chain only accepts
 * (Litecoin's Bitcoin-style {@code 3…}/{@code 2…}), which is re-spelled in the chain's own version ({@code M…}/{@code Q…}).
 */
public final class AddressNormalizer {

  private static final int HASH160 = 20;

  private final AddressParams params;

  public AddressNormalizer(AddressParams params) {
    this.params = params;
  }

  /** The normalised address, or null when it is not valid on this chain and network. */
  public String normalize(String address) {
    if (address == null || address.isEmpty() || address.length() > 128) {
      return null;
    }
    String legacy = legacy(address);
    if (legacy != null) {
      return legacy;
    }
    if (params.bech32Hrp() != null) {
      return Segwit.normalize(address, params.bech32Hrp());
    }
    if (params.cashAddrPrefix() != null) {
      return CashAddr.normalize(address, params.cashAddrPrefix());
    }
    return null;
  }

  private String legacy(String address) {
    byte[] decoded = Base58Check.decode(address);
    if (decoded == null || decoded.length != HASH160 + 1) {
      return null;
    }
    int version = decoded[0] & 0xff;
    boolean p2pkh = version == params.pubkeyHash();
    if (!p2pkh && !params.scriptHash().contains(version)) {
      return null;
    }
    if (params.cashAddrPrefix() == null) {
      int own = params.scriptHash().get(0);
      if (p2pkh || version == own) {
        return address;
      }
      decoded[0] = (byte) own;
      return Base58Check.encode(decoded);
    }
    int[] hash = new int[HASH160];
    for (int i = 0; i < HASH160; i++) {
      hash[i] = decoded[i + 1] & 0xff;
    }
    return CashAddr.encode(params.cashAddrPrefix(), p2pkh ? CashAddr.P2PKH : CashAddr.P2SH, hash);
  }
}
