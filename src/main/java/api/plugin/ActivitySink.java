package api.plugin;

/** Where a {@link Chain} reports what it sees; the sink fans it out to every connection subscribed to the address. */
public interface ActivitySink {

  /** New activity for a watched address: at block height {@code checkpoint}, or in the mempool when null. */
  void activity(String normalizedAddress, String checkpoint);

  /** The chain can no longer watch the address: its subscribers get subLost and the subscriptions are dropped. */
  void lost(String normalizedAddress);
}
