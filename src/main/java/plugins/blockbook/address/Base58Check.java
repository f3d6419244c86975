package plugins.blockbook.address;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Base58 with a double-SHA256 checksum, as used by legacy (P2PKH/P2SH) addresses. */
final class Base58Check {

  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);
  private static final int CHECKSUM = 4;

  private Base58Check() {
  }

  /** The version byte followed by the payload, or null when the text is not base58 or its checksum is wrong. */
  static byte[] decode(String text) {
    if (text.isEmpty() || text.length() > 64) {
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
    if (raw.length <= CHECKSUM) {
      return null;
    }
    byte[] body = Arrays.copyOf(raw, raw.length - CHECKSUM);
    byte[] expected = Arrays.copyOf(doubleSha256(body), CHECKSUM);
    return Arrays.equals(expected, Arrays.copyOfRange(raw, body.length, raw.length)) ? body : null;
  }

  /** The text of a version byte and payload, with its checksum. */
  static String encode(byte[] body) {
    byte[] raw = Arrays.copyOf(body, body.length + CHECKSUM);
    System.arraycopy(doubleSha256(body), 0, raw, body.length, CHECKSUM);
    StringBuilder text = new StringBuilder();
    BigInteger value = new BigInteger(1, raw);
    while (value.signum() > 0) {
      BigInteger[] divided = value.divideAndRemainder(BASE);
      text.append(ALPHABET.charAt(divided[1].intValue()));
      value = divided[0];
    }
    for (int i = 0; i < raw.length && raw[i] == 0; i++) {
      text.append(ALPHABET.charAt(0));
    }
    return text.reverse().toString();
  }

  private static byte[] stripSignByte(byte[] bytes) {
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static byte[] doubleSha256(byte[] data) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return sha.digest(sha.digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
