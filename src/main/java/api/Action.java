package api;

/** The requests a plugin address serves, named in the {@link BusAddresses#ACTION_HEADER} header. */
public enum Action {
  SUBSCRIBE("subscribe"),
  UNSUBSCRIBE("unsubscribe"),
  CONNECTION_CLOSED("connectionClosed"),
  /** Counters of the plugin's subscription state, for operators and leak tests. */
  STATS("stats"),
  /** Benchmark only: emit timestamped updates for current subscriptions at a given rate (see {@link BurstRequest}). */
  BURST("burst");

  private final String wireName;

  Action(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The action with this wire name, or null when there is none. */
  public static Action fromWire(String name) {
    for (Action action : values()) {
      if (action.wireName.equals(name)) {
        return action;
      }
    }
    return null;
  }
}
