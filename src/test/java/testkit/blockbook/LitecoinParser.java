package testkit.blockbook;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The double's address parser, as Blockbook's Litecoin parser (btcutil's {@code DecodeAddress} with Litecoin's
 * parameters) behaves: base58 P2PKH and P2SH, where P2SH also accepts Bitcoin's version byte (the "legacy" {@code 3…},
 * testnet/regtest {@code 2…}) and names it in Litecoin's form ({@code M…}, {@code Q…}: same hash160); segwit in bech32
 * (v0) or bech32m (v1+), named in lower case. Anything else is refused with btcutil's error text.
 */
public final class LitecoinParser {

  /** Litecoin regtest, what the double serves: testnet version bytes, bech32 prefix {@code rltc}. */
  public static final LitecoinParser REGTEST = new LitecoinParser(0x6f, 0x3a, 0xc4, "rltc");

  /** An address the parser refuses; the message is the parser's own error (e.g. {@code checksum mismatch}). */
  public static final class InvalidAddress extends Exception {
    InvalidAddress(String message) {
      super(message, null, false, false);
    }
  }

  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final String BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int BECH32 = 1;
  private static final int BECH32M = 0x2bc830a3;
  private static final String UNKNOWN_FORMAT = "decoded address is of unknown format";

  private final int pubkeyHash;
  private final int scriptHash;
  private final int bitcoinScriptHash;
  private final String hrp;

  LitecoinParser(int pubkeyHash, int scriptHash, int bitcoinScriptHash, String hrp) {
    this.pubkeyHash = pubkeyHash;
    this.scriptHash = scriptHash;
    this.bitcoinScriptHash = bitcoinScriptHash;
    this.hrp = hrp;
  }

  /** The address as the server names it in notifications, or {@link InvalidAddress} with the parser's error. */
  public String canonical(String address) throws InvalidAddress {
    int separator = address.lastIndexOf('1');
    if (separator > 0 && address.substring(0, separator).equalsIgnoreCase(hrp)) {
      return segwit(address);
    }
    byte[] decoded = base58CheckDecode(address);
    if (decoded.length != 21) {
      throw new InvalidAddress(UNKNOWN_FORMAT);
    }
    int version = decoded[0] & 0xff;
    if (version == pubkeyHash || version == scriptHash) {
      return address;
    }
    if (version == bitcoinScriptHash) {
      decoded[0] = (byte) scriptHash;
      return base58CheckEncode(decoded);
    }
    throw new InvalidAddress(UNKNOWN_FORMAT);
  }

  /** The canonical form, or the address as given when the parser refuses it. */
  String canonicalOrSelf(String address) {
    try {
      return canonical(address);
    } catch (InvalidAddress e) {
      return address;
    }
  }

  /** A Litecoin-form P2SH address ({@code Q…} here) written Bitcoin-style ({@code 2…}), the same script hash. */
  public String bitcoinStyleP2sh(String litecoinP2sh) {
    byte[] decoded;
    try {
      decoded = base58CheckDecode(litecoinP2sh);
    } catch (InvalidAddress e) {
      throw new IllegalArgumentException(litecoinP2sh + ": " + e.getMessage());
    }
    if (decoded.length != 21 || (decoded[0] & 0xff) != scriptHash) {
      throw new IllegalArgumentException(litecoinP2sh + " is not a Litecoin-form P2SH address");
    }
    decoded[0] = (byte) bitcoinScriptHash;
    return base58CheckEncode(decoded);
  }

  private String segwit(String address) throws InvalidAddress {
    if (!address.equals(address.toLowerCase(Locale.ROOT)) && !address.equals(address.toUpperCase(Locale.ROOT))) {
      throw new InvalidAddress("string not all lowercase or all uppercase");
    }
    String lower = address.toLowerCase(Locale.ROOT);
    int separator = lower.lastIndexOf('1');
    String data = lower.substring(separator + 1);
    if (data.length() < 7) {
      throw new InvalidAddress("invalid index of 1");
    }
    int[] values = new int[data.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = BECH32_CHARSET.indexOf(data.charAt(i));
      if (values[i] < 0) {
        throw new InvalidAddress("invalid character not part of charset: " + (int) data.charAt(i));
      }
    }
    int checksum = polymod(lower.substring(0, separator), values);
    int witnessVersion = values[0];
    if (checksum != (witnessVersion == 0 ? BECH32 : BECH32M) || witnessVersion > 16) {
      throw new InvalidAddress("invalid checksum");
    }
    int programLength = (values.length - 7) * 5 / 8;
    if (programLength < 2 || programLength > 40 || witnessVersion == 0 && programLength != 20 && programLength != 32) {
      throw new InvalidAddress("invalid data length");
    }
    return lower;
  }

  private static int polymod(String hrp, int[] data) {
    int[] generator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    int check = 1;
    int[] expanded = new int[hrp.length() * 2 + 1 + data.length];
    for (int i = 0; i < hrp.length(); i++) {
      expanded[i] = hrp.charAt(i) >> 5;
      expanded[i + hrp.length() + 1] = hrp.charAt(i) & 31;
    }
    System.arraycopy(data, 0, expanded, hrp.length() * 2 + 1, data.length);
    for (int value : expanded) {
      int top = check >>> 25;
      check = (check & 0x1ffffff) << 5 ^ value;
      for (int i = 0; i < 5; i++) {
        if ((top >> i & 1) != 0) {
          check ^= generator[i];
        }
      }
    }
    return check;
  }

  private static byte[] base58CheckDecode(String text) throws InvalidAddress {
    if (text.isEmpty()) {
      throw new InvalidAddress(UNKNOWN_FORMAT);
    }
    BigInteger value = BigInteger.ZERO;
    int leadingZeros = 0;
    for (int i = 0; i < text.length(); i++) {
      int digit = ALPHABET.indexOf(text.charAt(i));
      if (digit < 0) {
        throw new InvalidAddress(UNKNOWN_FORMAT);
      }
      if (digit == 0 && leadingZeros == i) {
        leadingZeros++;
      }
      value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(digit));
    }
    byte[] magnitude = value.signum() == 0 ? new byte[0] : value.toByteArray();
    if (magnitude.length > 0 && magnitude[0] == 0) {
      magnitude = Arrays.copyOfRange(magnitude, 1, magnitude.length);
    }
    byte[] raw = new byte[leadingZeros + magnitude.length];
    System.arraycopy(magnitude, 0, raw, leadingZeros, magnitude.length);
    if (raw.length < 5) {
      throw new InvalidAddress(UNKNOWN_FORMAT);
    }
    byte[] body = Arrays.copyOf(raw, raw.length - 4);
    if (!Arrays.equals(Arrays.copyOf(doubleSha256(body), 4), Arrays.copyOfRange(raw, body.length, raw.length))) {
      throw new InvalidAddress("checksum mismatch");
    }
    return body;
  }

  /** Base58check of a version byte and payload (written here, apart from the plugin's own, as the server's is). */
  public static String base58CheckEncode(byte[] payload) {
    byte[] full = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(doubleSha256(payload), 0, full, payload.length, 4);
    StringBuilder out = new StringBuilder();
    for (BigInteger value = new BigInteger(1, full); value.signum() > 0; value = value.divide(BigInteger.valueOf(58))) {
      out.append(ALPHABET.charAt(value.mod(BigInteger.valueOf(58)).intValue()));
    }
    for (int i = 0; i < full.length && full[i] == 0; i++) {
      out.append('1');
    }
    return out.reverse().toString();
  }

  private static byte[] doubleSha256(byte[] data) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return sha.digest(sha.digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
