package api;

/** The two notifications a plugin sends to a connection. */
public enum EventType {
  /** The address has new activity; the checkpoint is the block height, or null for the mempool. */
  UPDATE("update"),
  /** The plugin can no longer watch the address and holds no subscription for it any more. */
  SUB_LOST("subLost");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static EventType fromWire(String name) {
    return switch (name) {
      case "update" -> UPDATE;
      case "subLost" -> SUB_LOST;
      default -> throw new IllegalArgumentException("unknown event type");
    };
  }
}
