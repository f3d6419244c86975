package plugins.blockbook;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Valid Litecoin regtest P2PKH addresses made up locally: the wallet's {@code getnewaddress} takes ~10 ms each, too
 * slow for thousands. Nobody holds their keys; they can still be paid.
 */
final class RegtestAddresses {

  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int P2PKH_VERSION = 0x6f;

  private RegtestAddresses() {
  }

  static List<String> p2pkh(int count) {
    List<String> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[21];
      payload[0] = P2PKH_VERSION;
      System.arraycopy(sha256(("address " + i).getBytes(StandardCharsets.UTF_8)), 0, payload, 1, 20);
      addresses.add(base58Check(payload));
    }
    return addresses;
  }

  private static String base58Check(byte[] payload) {
    byte[] full = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(sha256(sha256(payload)), 0, full, payload.length, 4);
    StringBuilder out = new StringBuilder();
    for (BigInteger value = new BigInteger(1, full); value.signum() > 0; value = value.divide(BigInteger.valueOf(58))) {
      out.append(ALPHABET.charAt(value.mod(BigInteger.valueOf(58)).intValue()));
    }
    for (int i = 0; i < full.length && full[i] == 0; i++) {
      out.append('1');
    }
    return out.reverse().toString();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
