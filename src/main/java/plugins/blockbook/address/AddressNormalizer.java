package plugins.blockbook.address;

/**
 * Validates an address for one chain and network and gives the form used for matching: bech32 in lower case, cashaddr
 * as lower-case {@code prefix:payload} (legacy Bitcoin Cash addresses converted to it, since Blockbook notifies the
 * cashaddr form), base58 exactly as written.
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
      return address;
    }
    int[] hash = new int[HASH160];
    for (int i = 0; i < HASH160; i++) {
      hash[i] = decoded[i + 1] & 0xff;
    }
    return CashAddr.encode(params.cashAddrPrefix(), p2pkh ? CashAddr.P2PKH : CashAddr.P2SH, hash);
  }
}
