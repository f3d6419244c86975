package plugins.blockbook.upstream;

/**
 * Per-connection limits of a Blockbook WebSocket client.
 *
 * @param requestTimeoutMs  how long a request may wait for its reply: Blockbook never answers an unknown method
 * @param pingIntervalMs    client pings keep the connection alive and detect a dead one (Blockbook never pings)
 * @param messageBudget     messages a connection may send per {@code messageWindowMs} (the server closes the
 *                          connection and blocks the IP for 12 h past 2500 per 10 min)
 * @param messageWindowMs   the budget's window
 * @param maxInFlight       requests awaiting a reply at once (the server allows 48)
 */
public record SocketSettings(long requestTimeoutMs, long pingIntervalMs, int messageBudget, long messageWindowMs, int maxInFlight) {
}
