package api;

/** Per-address answers to subscribe (PROTOCOL.md). 2 is always the safe answer: it costs one re-sync, a wrong 1 loses a payment. */
public final class ResultCode {
  /** No JVM of the cluster serves the pluginId. */
  public static final int UNSUPPORTED = -1;
  /** Invalid address, or the plugin failed. */
  public static final int FAILED = 0;
  /** Subscribed; no activity after the checkpoint. */
  public static final int UNCHANGED = 1;
  /** Subscribed; activity after the checkpoint, or unknown. */
  public static final int CHANGED = 2;

  private ResultCode() {
  }
}
