package bench;

/**
 * Names the addresses of a run and maps a received address back to its index. Every run gets its own prefix, so that
 * a run never joins watches left by an earlier one. Own addresses are {@code <run>-<socket>-<i>}, shared ones
 * {@code <run>-<i>}: the index is always after the last dash, and the socket part lets a socket reject an address
 * that is not its own.
 */
final class AddressScheme {

  private final String runId;
  private final boolean shared;

  AddressScheme(String runId, boolean shared) {
    this.runId = runId;
    this.shared = shared;
  }

  String address(int socket, int index) {
    return shared ? runId + "-" + index : runId + "-" + socket + "-" + index;
  }

  /** An address outside the load's own, for the settle probes. */
  String probeAddress(int probe) {
    return runId + "-probe-" + probe;
  }

  /** The index of {@code address} if it is one of {@code socket}'s, else -1. */
  int indexOf(int socket, String address) {
    int lastDash = address.lastIndexOf('-');
    if (lastDash < 0 || !address.startsWith(runId) || address.length() <= runId.length()
      || address.charAt(runId.length()) != '-') {
      return -1;
    }
    if (!shared && !address.regionMatches(runId.length() + 1, socket + "-", 0, lastDash - runId.length())) {
      return -1;
    }
    if (shared && lastDash != runId.length()) {
      return -1;
    }
    try {
      return Integer.parseInt(address, lastDash + 1, address.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
