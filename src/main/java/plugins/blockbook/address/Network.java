package plugins.blockbook.address;

import java.util.Locale;

/** Which network a chain's config names; it picks the address version bytes and prefixes. */
public enum Network {
  MAINNET, TESTNET, REGTEST;

  /** Parses a config value such as {@code "regtest"}; unknown names fail loudly rather than validate the wrong addresses. */
  public static Network fromConfig(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown network \"" + name + "\": expected mainnet, testnet or regtest", e);
    }
  }
}
