package plugins.blockbook.address;

import java.util.Locale;

/**
 * Segwit addresses (BIP-173 bech32 for witness version 0, BIP-350 bech32m for versions 1 to 16, e.g. taproot).
 * Each version must carry its own checksum constant: a v1 address with a bech32 checksum is invalid.
 */
final class Segwit {

  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int BECH32_CONST = 1;
  private static final int BECH32M_CONST = 0x2bc830a3;
  private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  private static final int CHECKSUM = 6;

  private Segwit() {
  }

  /** The lower-case address when it is a valid segwit address with this HRP, else null. */
  static String normalize(String address, String hrp) {
    if (address.length() > 90 || !address.equals(address.toLowerCase(Locale.ROOT)) && !address.equals(address.toUpperCase(Locale.ROOT))) {
      return null;
    }
    String lower = address.toLowerCase(Locale.ROOT);
    int separator = lower.lastIndexOf('1');
    if (separator < 1 || !lower.substring(0, separator).equals(hrp) || lower.length() - separator - 1 < CHECKSUM + 1) {
      return null;
    }
    int[] data = new int[lower.length() - separator - 1];
    for (int i = 0; i < data.length; i++) {
      data[i] = CHARSET.indexOf(lower.charAt(separator + 1 + i));
      if (data[i] < 0) {
        return null;
      }
    }
    int checksum = polymod(hrp, data);
    int version = data[0];
    if (version > 16 || checksum != (version == 0 ? BECH32_CONST : BECH32M_CONST)) {
      return null;
    }
    int[] program = Bits.convert(java.util.Arrays.copyOf(data, data.length - CHECKSUM), 1, 5, 8, false);
    if (program == null || program.length < 2 || program.length > 40 || version == 0 && program.length != 20 && program.length != 32) {
      return null;
    }
    return lower;
  }

  private static int polymod(String hrp, int[] data) {
    int check = 1;
    for (int i = 0; i < hrp.length(); i++) {
      check = step(check, hrp.charAt(i) >> 5);
    }
    check = step(check, 0);
    for (int i = 0; i < hrp.length(); i++) {
      check = step(check, hrp.charAt(i) & 31);
    }
    for (int value : data) {
      check = step(check, value);
    }
    return check;
  }

  private static int step(int check, int value) {
    int top = check >>> 25;
    check = (check & 0x1ffffff) << 5 ^ value;
    for (int i = 0; i < GENERATOR.length; i++) {
      if ((top >>> i & 1) != 0) {
        check ^= GENERATOR[i];
      }
    }
    return check;
  }
}
