package plugins.blockbook;

/** What a Blockbook server's version ({@code getInfo}'s {@code version}) says about the protocol it speaks. */
final class ServerVersion {

  private ServerVersion() {
  }

  /**
   * Whether the server knows {@code subscribeAddresses}' {@code newBlockTxs} (v0.6.0 on). Older servers ignore the
   * field and notify no confirmation; a version that is not a release number ({@code devel}, {@code unknown}, a
   * self-built server) or none at all is taken to be recent: asking costs nothing where it is not known.
   */
  static boolean knowsNewBlockTxs(String version) {
    int[] parts = release(version);
    if (parts == null) {
      return true;
    }
    return parts[0] > 0 || parts[1] >= 6;
  }

  /** Major and minor of {@code "0.6.0"}, {@code "v0.5.1-rc"}; null when it does not start with them. */
  private static int[] release(String version) {
    if (version == null) {
      return null;
    }
    String text = version.startsWith("v") ? version.substring(1) : version;
    String[] parts = text.split("\\.", 3);
    if (parts.length < 2) {
      return null;
    }
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1].replaceAll("\\D.*$", ""))};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
