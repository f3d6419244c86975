package hub;

import io.vertx.core.json.JsonObject;

/**
 * The {@code hub.limits} config section: what one client may ask of the server, with defaults sized for real wallets
 * (thousands of addresses, a few calls a minute). Going over gets a JSON-RPC error where the call can be answered, a
 * close (1008 policy, 1009 too big) where it cannot; a rejected call changes nothing.
 *
 * @param maxMessageBytes               largest WebSocket message or frame (over: close 1009)
 * @param maxTuplesPerCall              tuples in one subscribe/unsubscribe (over: -32602)
 * @param maxSubscriptionsPerConnection subscriptions one socket may hold (over: error 1, the whole call refused)
 * @param maxSubscriptionsPerIp         subscriptions one client address may hold across all its sockets on one hub
 *                                      (over: error 1, the whole call refused). Carriers put many wallets behind one
 *                                      address: the default lets through 33 wallets of 30,000 addresses each
 * @param maxTuplesInFlightPerIp        tuples of one client address's subscribe calls not answered yet, across its
 *                                      sockets (over: error 1, the call refused): what its calls can make the hub hold
 *                                      at once. 1,000 of Edge's calls of 100 at the same moment
 *                                      fit (a carrier's NAT in front of a reconnect storm)
 * @param maxTuplesPerSecondPerIp      tuples one client address may send per second across its sockets (subscribe and
 *                                      unsubscribe calls, refused ones included: decoding them is the cost), a second's
 *                                      worth at once: over it its sockets are not read until the rate allows (nothing
 *                                      refused). One address flooding a hub cannot take all of its CPU and its plugins'
 *                                      from everyone else; a wallet of 30,000 addresses starts in about a second
 * @param maxConnectionsPerIp           sockets from one client address on one hub (over: close 1008)
 * @param messagesPerSecond             sustained messages per socket (token bucket refill)
 * @param messageBurst                  messages a socket may send at once (bucket size); over: error 1, and a
 *                                      socket that keeps sending that fast is closed with 1008. Edge's wallet core
 *                                      subscribes in sequential calls of 100 (PROTOCOL.md): the default lets the
 *                                      most a socket may hold (100,000) through in one go, 1,000 calls
 * @param writeQueueBytes               outbound bytes buffered for a socket before it counts as not reading
 * @param slowConsumerMs                a socket whose outbound queue stays full this long is closed (1008)
 * @param pingIntervalMs                the server pings every socket this often; one silent for a whole interval
 *                                      (no pong, no message) is closed (1001)
 */
record HubLimits(int maxMessageBytes, int maxTuplesPerCall, int maxSubscriptionsPerConnection, int maxSubscriptionsPerIp, int maxTuplesInFlightPerIp,
                 int maxTuplesPerSecondPerIp, int maxConnectionsPerIp,
                 int messagesPerSecond, int messageBurst, int writeQueueBytes, long slowConsumerMs, long pingIntervalMs) {

  static HubLimits fromJson(JsonObject json) {
    return new HubLimits(
      json.getInteger("maxMessageBytes", 4 * 1024 * 1024),
      json.getInteger("maxTuplesPerCall", 10_000),
      json.getInteger("maxSubscriptionsPerConnection", 100_000),
      json.getInteger("maxSubscriptionsPerIp", 1_000_000),
      json.getInteger("maxTuplesInFlightPerIp", 100_000),
      json.getInteger("maxTuplesPerSecondPerIp", 25_000),
      json.getInteger("maxConnectionsPerIp", 500),
      json.getInteger("messagesPerSecond", 20),
      json.getInteger("messageBurst", 1_000),
      json.getInteger("writeQueueBytes", 1024 * 1024),
      json.getLong("slowConsumerMs", 10_000L),
      json.getLong("pingIntervalMs", 30_000L));
  }
}
