package plugins.blockbook.address;

import java.util.List;

/**
 * The address encodings one chain accepts on one network.
 *
 * @param pubkeyHash     base58check version byte of P2PKH addresses
 * @param scriptHash     base58check version bytes of P2SH addresses, the chain's own first: Litecoin also accepts
 *                       Bitcoin's (its legacy {@code 3…}/{@code 2…} form), which Blockbook accepts too but names in the
 *                       chain's own form ({@code M…}/{@code Q…}) in its notifications
 * @param bech32Hrp      segwit human-readable part, or null when the chain has no segwit addresses
 * @param cashAddrPrefix cashaddr prefix (Bitcoin Cash), or null
 */
public record AddressParams(int pubkeyHash, List<Integer> scriptHash, String bech32Hrp, String cashAddrPrefix) {

  /** The parameters of a pluginId served by the Blockbook plugin, from each chain's own chainparams. */
  public static AddressParams of(String pluginId, Network network) {
    switch (pluginId) {
      case "bitcoin":
        return network == Network.MAINNET
          ? new AddressParams(0x00, List.of(0x05), "bc", null)
          : new AddressParams(0x6f, List.of(0xc4), network == Network.TESTNET ? "tb" : "bcrt", null);
      case "bitcoincash":
        return network == Network.MAINNET
          ? new AddressParams(0x00, List.of(0x05), null, "bitcoincash")
          : new AddressParams(0x6f, List.of(0xc4), null, network == Network.TESTNET ? "bchtest" : "bchreg");
      case "litecoin":
        return network == Network.MAINNET
          ? new AddressParams(0x30, List.of(0x32, 0x05), "ltc", null)
          : new AddressParams(0x6f, List.of(0x3a, 0xc4), network == Network.TESTNET ? "tltc" : "rltc", null);
      case "dogecoin":
        // Dogecoin's regtest shares testnet's version bytes (its chainparams and key_io test vectors).
        return network == Network.MAINNET
          ? new AddressParams(0x1e, List.of(0x16), null, null)
          : new AddressParams(0x71, List.of(0xc4), null, null);
      case "qtum":
        return network == Network.MAINNET
          ? new AddressParams(0x3a, List.of(0x32), "qc", null)
          : new AddressParams(0x78, List.of(0x6e), network == Network.TESTNET ? "tq" : "qcrt", null);
      default:
        throw new IllegalArgumentException("no address parameters for pluginId " + pluginId);
    }
  }
}
