package plugins.blockbook;

import testkit.blockbook.LitecoinParser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid Litecoin regtest P2PKH addresses made up locally: the wallet's {@code getnewaddress} takes ~10 ms each, too
 * slow for thousands. Nobody holds their keys; they can still be paid.
 */
final class RegtestAddresses {

  private static final int P2PKH_VERSION = 0x6f;

  private RegtestAddresses() {
  }

  static List<String> p2pkh(int count) {
    List<String> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[21];
      payload[0] = P2PKH_VERSION;
      System.arraycopy(digest(("address " + i).getBytes(StandardCharsets.UTF_8)), 0, payload, 1, 20);
      addresses.add(LitecoinParser.base58CheckEncode(payload));
    }
    return addresses;
  }

  private static byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
