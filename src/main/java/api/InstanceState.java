package api;

/** Where a plugin instance stands, as it announces itself ({@link PluginAnnouncement}). */
public enum InstanceState {
  /** Serving: owns its share of its pluginIds' addresses. */
  UP("up"),
  /** Stopping: still serves what it holds, owns nothing; hubs move its addresses to the other instances. */
  DRAINING("draining"),
  /** Stopped: holds nothing and serves nothing any more. */
  GONE("gone");

  private final String wireName;

  InstanceState(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static InstanceState fromWire(String name) {
    for (InstanceState state : values()) {
      if (state.wireName.equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown instance state");
  }
}
