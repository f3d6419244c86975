package support;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * EVM addresses: {@code 0x} and 40 hex digits, prefix and digits in any case (Edge lowercases whatever it is given),
 * matched in lowercase; and their 32-byte log-topic form. One reading for every EVM path (chain workers, Alchemy).
 */
public final class EvmAddress {

  private static final Pattern ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]{40}");
  private static final int TOPIC_LENGTH = 66;
  private static final String TOPIC_PADDING = "0".repeat(24);

  private EvmAddress() {
  }

  /** The lowercase form, or null when the string is not an EVM address. */
  public static String normalize(String address) {
    return address != null && ADDRESS.matcher(address).matches() ? address.toLowerCase(Locale.ROOT) : null;
  }

  /** Lowercases an address a node returned (nodes usually do already; checksummed ones exist). Null stays null. */
  public static String fromNode(String address) {
    return address == null ? null : address.toLowerCase(Locale.ROOT);
  }

  /** The address as an indexed event argument: left-padded to 32 bytes. */
  public static String toTopic(String normalized) {
    return "0x" + TOPIC_PADDING + normalized.substring(2);
  }

  /** The address inside an indexed event argument, or null when the topic is not 32 bytes. */
  public static String fromTopic(String topic) {
    return topic != null && topic.length() == TOPIC_LENGTH ? "0x" + topic.substring(26).toLowerCase(Locale.ROOT) : null;
  }
}
