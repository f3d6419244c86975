package plugins.alchemy;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Address validation and the form used to match webhook activity: EVM addresses are {@code 0x} and 40 hex digits,
 * matched in lower case (Alchemy sends checksummed or lower-case forms); Solana addresses are base58 public keys of
 * exactly 32 bytes, matched exactly (base58 is case-sensitive).
 */
final class AddressFormat {

  private static final Pattern EVM = Pattern.compile("0[xX][0-9a-fA-F]{40}");
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int SOLANA_KEY_BYTES = 32;
  /** A 32-byte key is at most 44 base58 characters; longer text is refused before any arithmetic. */
  private static final int SOLANA_MAX_CHARS = 44;

  private AddressFormat() {
  }

  static String normalize(String address, boolean solana) {
    if (address == null) {
      return null;
    }
    return solana ? solana(address) : evm(address);
  }

  static String evm(String address) {
    return EVM.matcher(address).matches() ? address.toLowerCase(Locale.ROOT) : null;
  }

  static String solana(String address) {
    return address.length() >= 32 && address.length() <= SOLANA_MAX_CHARS && base58Length(address) == SOLANA_KEY_BYTES ? address : null;
  }

  /** The decoded length of base58 text (leading '1's are zero bytes), or -1 when a character is not base58. */
  private static int base58Length(String text) {
    BigInteger value = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    BigInteger base = BigInteger.valueOf(58);
    for (int i = 0; i < text.length(); i++) {
      int digit = BASE58.indexOf(text.charAt(i));
      if (digit < 0) {
        return -1;
      }
      if (leading && digit == 0) {
        zeros++;
        continue;
      }
      leading = false;
      value = value.multiply(base).add(BigInteger.valueOf(digit));
    }
    int bytes = value.signum() == 0 ? 0 : (value.bitLength() + 7) / 8;
    return zeros + bytes;
  }
}
