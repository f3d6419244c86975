package plugins.alchemy;

import support.Base58;
import support.EvmAddress;

/**
 * Address validation and the form used to match webhook activity: EVM addresses as {@link EvmAddress} reads them,
 * matched in lower case (Alchemy sends checksummed or lower-case forms); Solana addresses are base58 public keys of
 * exactly 32 bytes, matched exactly (base58 is case-sensitive).
 */
final class AddressFormat {

  private static final int SOLANA_KEY_BYTES = 32;
  /** A 32-byte key is at most 44 base58 characters; longer text is refused before any arithmetic. */
  private static final int SOLANA_MAX_CHARS = 44;

  private AddressFormat() {
  }

  static String normalize(String address, boolean solana) {
    if (address == null) {
      return null;
    }
    return solana ? solana(address) : EvmAddress.normalize(address);
  }

  static String solana(String address) {
    byte[] key = address.length() < 32 ? null : Base58.decode(address, SOLANA_MAX_CHARS);
    return key != null && key.length == SOLANA_KEY_BYTES ? address : null;
  }
}
