package plugins.blockbook.address;

import java.util.Locale;

/**
 * Bitcoin Cash addresses: {@code prefix:payload} with a 40-bit BCH checksum over the prefix, the prefix being optional
 * in what wallets send. Also encodes, so that a legacy address matches its cashaddr form.
 */
final class CashAddr {

  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final long[] GENERATOR = {0x98f2bc8e61L, 0x79b76d99e2L, 0xf33e5fb3c4L, 0xae2eabe2a8L, 0x1e4f43e470L};
  private static final int CHECKSUM = 8;
  /** Hash sizes in bytes by the size code in the low three bits of the version byte. */
  private static final int[] HASH_SIZES = {20, 24, 28, 32, 40, 48, 56, 64};
  static final int P2PKH = 0;
  static final int P2SH = 1;

  private CashAddr() {
  }

  /** {@code prefix:payload} in lower case when valid for this prefix (with or without it written), else null. */
  static String normalize(String address, String prefix) {
    if (!address.equals(address.toLowerCase(Locale.ROOT)) && !address.equals(address.toUpperCase(Locale.ROOT))) {
      return null;
    }
    String lower = address.toLowerCase(Locale.ROOT);
    int colon = lower.indexOf(':');
    if (colon >= 0 && !lower.substring(0, colon).equals(prefix)) {
      return null;
    }
    String payload = lower.substring(colon + 1);
    if (payload.length() <= CHECKSUM) {
      return null;
    }
    int[] data = new int[payload.length()];
    for (int i = 0; i < data.length; i++) {
      data[i] = CHARSET.indexOf(payload.charAt(i));
      if (data[i] < 0) {
        return null;
      }
    }
    if (polymod(prefix, data, 0) != 0) {
      return null;
    }
    int[] bytes = Bits.convert(java.util.Arrays.copyOf(data, data.length - CHECKSUM), 0, 5, 8, false);
    if (bytes == null || bytes.length < 1) {
      return null;
    }
    int type = bytes[0] >> 3;
    if ((bytes[0] & 0x80) != 0 || type != P2PKH && type != P2SH || bytes.length - 1 != HASH_SIZES[bytes[0] & 7]) {
      return null;
    }
    return prefix + ":" + payload;
  }

  /** The cashaddr of a 20-byte hash of the given type (P2PKH or P2SH). */
  static String encode(String prefix, int type, int[] hash) {
    int[] versioned = new int[hash.length + 1];
    versioned[0] = type << 3;
    System.arraycopy(hash, 0, versioned, 1, hash.length);
    int[] data = Bits.convert(versioned, 0, 8, 5, true);
    long checksum = polymod(prefix, data, CHECKSUM);
    StringBuilder out = new StringBuilder(prefix).append(':');
    for (int value : data) {
      out.append(CHARSET.charAt(value));
    }
    for (int i = CHECKSUM - 1; i >= 0; i--) {
      out.append(CHARSET.charAt((int) (checksum >> (5 * i)) & 31));
    }
    return out.toString();
  }

  /** The checksum polynomial over the prefix, a separator, the data and {@code zeros} zero groups (xor 1 applied). */
  private static long polymod(String prefix, int[] data, int zeros) {
    long check = 1;
    for (int i = 0; i < prefix.length(); i++) {
      check = step(check, prefix.charAt(i) & 31);
    }
    check = step(check, 0);
    for (int value : data) {
      check = step(check, value);
    }
    for (int i = 0; i < zeros; i++) {
      check = step(check, 0);
    }
    return check ^ 1;
  }

  private static long step(long check, int value) {
    long top = check >>> 35;
    check = (check & 0x07ffffffffL) << 5 ^ value;
    for (int i = 0; i < GENERATOR.length; i++) {
      if ((top >>> i & 1) != 0) {
        check ^= GENERATOR[i];
      }
    }
    return check;
  }
}
