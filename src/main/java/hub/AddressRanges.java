package hub;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A set of IP ranges in CIDR notation ({@code "10.0.0.0/8"}, {@code "fd00::/8"}; a plain address is one address, /32 or
 * /128), IPv4 and IPv6: the trusted proxies. Addresses are parsed as literals only, never looked up in DNS; an
 * IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) counts as its IPv4 address, as a dual-stack socket reports IPv4
 * peers that way.
 */
final class AddressRanges {

  private record Range(byte[] network, int prefixLength) {

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefixLength / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private final List<Range> ranges;

  private AddressRanges(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** Fails on an entry that is not an IP address with an optional prefix length that fits it: a typo must not start. */
  static AddressRanges parse(Collection<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      String trimmed = entry.trim();
      int slash = trimmed.indexOf('/');
      byte[] network = bytes(slash < 0 ? trimmed : trimmed.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("not an IP address or CIDR range: \"" + entry + "\"");
      }
      int prefixLength = network.length * 8;
      if (slash >= 0) {
        try {
          prefixLength = Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad prefix length in \"" + entry + "\"");
        }
        // A mapped IPv6 range (::ffff:10.0.0.0/104) was turned into its IPv4 network: its prefix loses the 96 bits.
        if (network.length == 4 && trimmed.contains(":")) {
          prefixLength -= 96;
        }
        if (prefixLength < 0 || prefixLength > network.length * 8) {
          throw new IllegalArgumentException("bad prefix length in \"" + entry + "\"");
        }
      }
      ranges.add(new Range(network, prefixLength));
    }
    return new AddressRanges(ranges);
  }

  /** Whether {@code address} (an IP literal) lies in one of the ranges; anything else (a name, "unknown") does not. */
  boolean contains(String address) {
    byte[] bytes = bytes(address);
    if (bytes == null) {
      return false;
    }
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  boolean isEmpty() {
    return ranges.isEmpty();
  }

  /**
   * One spelling per address ({@code ::1} for {@code 0:0:0:0:0:0:0:1}, {@code 10.1.2.3} for {@code ::ffff:10.1.2.3}),
   * so that the per-address budgets are not split by how a peer or a header wrote it; anything that is not an IP
   * literal is returned as it is.
   */
  static String canonical(String address) {
    byte[] bytes = bytes(address);
    if (bytes == null) {
      return address;
    }
    try {
      return NetUtil.toAddressString(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException impossible) {
      return address;
    }
  }

  /** The address's bytes (4 for IPv4, mapped IPv6 included; 16 for IPv6), or null if it is not an IP literal. */
  private static byte[] bytes(String address) {
    String literal = address.trim();
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    // A scope id (fe80::1%eth0) names an interface, not part of the address.
    int scope = literal.indexOf('%');
    if (scope >= 0) {
      literal = literal.substring(0, scope);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes != null && bytes.length == 16 && Arrays.equals(bytes, 0, 12, IPV4_MAPPED_PREFIX, 0, 12)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }
}
