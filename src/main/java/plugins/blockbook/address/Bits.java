package plugins.blockbook.address;

import java.io.ByteArrayOutputStream;

/** Regrouping of bit strings between 8-bit bytes and the 5-bit groups of bech32 and cashaddr. */
final class Bits {

  private Bits() {
  }

  /** Regroups {@code from}-bit values into {@code to}-bit values; null when the padding is not valid (decoding). */
  static int[] convert(int[] data, int offset, int from, int to, boolean pad) {
    int acc = 0;
    int bits = 0;
    int maxValue = (1 << to) - 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * from / to + 1);
    for (int i = offset; i < data.length; i++) {
      int value = data[i];
      if (value < 0 || value >> from != 0) {
        return null;
      }
      acc = (acc << from) | value;
      bits += from;
      while (bits >= to) {
        bits -= to;
        out.write((acc >> bits) & maxValue);
      }
    }
    if (pad) {
      if (bits > 0) {
        out.write((acc << (to - bits)) & maxValue);
      }
    } else if (bits >= from || ((acc << (to - bits)) & maxValue) != 0) {
      return null;
    }
    byte[] bytes = out.toByteArray();
    int[] result = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      result[i] = bytes[i] & 0xff;
    }
    return result;
  }
}
