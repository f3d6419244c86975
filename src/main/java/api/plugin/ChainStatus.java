package api.plugin;

/**
 * Where a chain stands against its upstream, read at stats and scrape time: the tip the upstream reported, the last
 * block this plugin has handled, whether the upstream is usable now, and how often it failed or had to be reconnected
 * (or failed over) since the plugin started. Heights are -1 until known.
 */
public record ChainStatus(long headHeight, long processedHeight, boolean upstreamUp, long upstreamErrors, long reconnects) {

  /**
   * A chain without an upstream (the fake): nothing to be down, so it never blocks readiness. Told apart by identity,
   * not by value: a chain with an upstream that has seen no block yet (the alchemy plugin before its first webhook)
   * reports the same numbers.
   */
  public static final ChainStatus NO_UPSTREAM = new ChainStatus(-1, -1, true, 0, 0);

  public boolean hasUpstream() {
    return this != NO_UPSTREAM;
  }

  /** Blocks seen but not handled yet; 0 while either height is unknown (there is nothing to be behind of). */
  public long lagBlocks() {
    return headHeight < 0 || processedHeight < 0 ? 0 : Math.max(0, headHeight - processedHeight);
  }
}
