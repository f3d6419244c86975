package support;

import java.math.BigInteger;
import java.util.Arrays;

/** Bitcoin's base58 alphabet, without a checksum: each leading '1' is a zero byte. Used by Bitcoin-family and Solana addresses. */
public final class Base58 {

  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);

  private Base58() {
  }

  /** The bytes of base58 text, or null when it is empty, longer than {@code maxChars} or has a character outside the alphabet. */
  public static byte[] decode(String text, int maxChars) {
    if (text.isEmpty() || text.length() > maxChars) {
      return null;
    }
    BigInteger value = BigInteger.ZERO;
    int leadingZeros = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      int digit = ALPHABET.indexOf(text.charAt(i));
      if (digit < 0) {
        return null;
      }
      if (leading && digit == 0) {
        leadingZeros++;
      } else {
        leading = false;
      }
      value = value.multiply(BASE).add(BigInteger.valueOf(digit));
    }
    byte[] magnitude = value.signum() == 0 ? new byte[0] : stripSignByte(value.toByteArray());
    byte[] raw = new byte[leadingZeros + magnitude.length];
    System.arraycopy(magnitude, 0, raw, leadingZeros, magnitude.length);
    return raw;
  }

  /** The base58 text of {@code bytes}. */
  public static String encode(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    BigInteger value = new BigInteger(1, bytes);
    while (value.signum() > 0) {
      BigInteger[] divided = value.divideAndRemainder(BASE);
      text.append(ALPHABET.charAt(divided[1].intValue()));
      value = divided[0];
    }
    for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
      text.append(ALPHABET.charAt(0));
    }
    return text.reverse().toString();
  }

  private static byte[] stripSignByte(byte[] bytes) {
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }
}
