package hub;

/**
 * Why the hub closed a client socket, with the WebSocket status it closes with. Each close is logged with its reason
 * and counted in {@code change_close_count_total{reason}}; {@link #CLIENT} is a close the client started.
 */
enum CloseReason {
  /** Kept sending over the rate limit for a whole burst more. */
  RATE("rate", (short) 1008, "rate limit"),
  /** Sent a message over {@code maxMessageBytes}. */
  SIZE("size", (short) 1009, "message too big"),
  /** Its outbound queue stayed full for {@code slowConsumerMs}: it does not read. */
  SLOW_CONSUMER("slowConsumer", (short) 1008, "not reading"),
  /** Silent (not even a pong) for a whole ping interval: half-open or dead. */
  IDLE("idle", (short) 1001, "no pong"),
  /** Its client address already has {@code maxConnectionsPerIp} sockets on this hub. */
  CONNECTION_BUDGET("connectionBudget", (short) 1008, "too many connections"),
  /** The hub is stopping. */
  SHUTDOWN("shutdown", (short) 1001, "server shutting down"),
  /** The hub is draining for a restart ({@link HubDrain}): its sockets are closed a few at a time. */
  DRAIN("drain", (short) 1001, "server restarting"),
  /** The client closed (or the connection broke). */
  CLIENT("client", (short) 1000, "");

  private final String tag;
  private final short status;
  private final String text;

  CloseReason(String tag, short status, String text) {
    this.tag = tag;
    this.status = status;
    this.text = text;
  }

  /** The metric tag and log value. */
  String tag() {
    return tag;
  }

  /** The WebSocket close status sent to the client. */
  short status() {
    return status;
  }

  /** The close frame's reason text. */
  String text() {
    return text;
  }
}
