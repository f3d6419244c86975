package plugins.blockbook.address;

import support.Base58;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Base58 with a double-SHA256 checksum, as used by legacy (P2PKH/P2SH) addresses. */
final class Base58Check {

  /** Longer than any legacy address: refused before any arithmetic. */
  private static final int MAX_CHARS = 64;
  private static final int CHECKSUM = 4;

  private Base58Check() {
  }

  /** The version byte followed by the payload, or null when the text is not base58 or its checksum is wrong. */
  static byte[] decode(String text) {
    byte[] raw = Base58.decode(text, MAX_CHARS);
    if (raw == null || raw.length <= CHECKSUM) {
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
    return Base58.encode(raw);
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
