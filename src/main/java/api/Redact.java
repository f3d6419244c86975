package api;

/** Shortens what must never appear whole in logs (addresses, keys). */
public final class Redact {

  private static final int SHOWN = 6;

  private Redact() {
  }

  /** The first few characters and the length, e.g. {@code 0xF533…(42)}. */
  public static String address(String address) {
    if (address == null) {
      return "null";
    }
    return address.length() <= SHOWN ? "…(" + address.length() + ")" : address.substring(0, SHOWN) + "…(" + address.length() + ")";
  }
}
