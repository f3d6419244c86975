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

  /**
   * A client's IP address with its host part hidden: the network stays readable (which carrier, which proxy), the
   * person does not, e.g. {@code 203.0.x.x} or {@code 2001:db8:…}.
   */
  public static String client(String ip) {
    if (ip == null) {
      return "null";
    }
    int colon = ip.indexOf(':');
    if (colon >= 0) {
      int second = ip.indexOf(':', colon + 1);
      return (second < 0 ? ip.substring(0, colon) : ip.substring(0, second)) + ":…";
    }
    String[] octets = ip.split("\\.");
    return octets.length == 4 ? octets[0] + "." + octets[1] + ".x.x" : address(ip);
  }
}
