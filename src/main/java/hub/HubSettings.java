package hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hub's config section ({@code "hub"}), with its defaults.
 *
 * @param host           interface the WebSocket server binds to
 * @param port           WebSocket port
 * @param busTimeoutMs   how long a request to a plugin may take; a subscribe that times out answers 2
 * @param busBatchSize   addresses per bus request; a larger client call is split
 * @param knownPluginIds  pluginIds the deployment serves even before any instance has announced itself (held, not -1)
 * @param pluginWaitMs    how long a subscribe for a served pluginId with no instance up waits for one before it answers
 *                        2 (Edge's client gives a round of calls 15 s: this leaves room for the calls after it)
 * @param startupWaitMs   after the hub starts, a subscribe for a served pluginId with no instance up waits until this
 *                        long after the start if that is longer than {@code pluginWaitMs}: after a deploy every wallet
 *                        reconnects at once, while the plugins are still starting, and a late 1 costs it some
 *                        polling where a 2 costs a re-sync of every address
 * @param discoveryMs     after start, how long a pluginId not heard of yet may still be announced (answers to this
 *                        hub's announce request), so is waited for rather than answered -1
 * @param moveConcurrency sockets whose subscriptions are moved at once when a pluginId's instances change: moves are
 *                        bound by round trips, not CPU (docs/BENCHMARKS.md), and each plugin bounds its own scans
 * @param compression     whether a client that offers permessage-deflate gets it. Off by default, as on Edge's server:
 *                        Node's {@code ws} and Android's OkHttp offer it on every connect, and each socket that takes it
 *                        holds its own zlib state (tens of KB) and costs CPU per message for updates of ~70 bytes
 * @param trustedProxies  peers (CIDR ranges or single addresses, IPv4 and IPv6) whose {@code X-Forwarded-For} header
 *                        names the real client: the right-most entry that is not itself in these ranges
 * @param proxyProtocol   every connection starts with a PROXY protocol header (v1 or v2, from a TCP load balancer); the
 *                        address it names is the peer, for the budgets and for {@code trustedProxies}
 * @param tls             the certificate to serve {@code wss://} with, or null for plain {@code ws://}
 * @param drainDelayMs    on SIGTERM, how long the hub keeps serving with {@code /ready} at 503, so that load balancers
 *                        stop sending it new wallets before its sockets close ({@link HubDrain})
 * @param drainMs         then, over how long its sockets are closed (1001), evenly spread: each wallet reconnects 5 s
 *                        after its close, so the other hubs take the reconnects at sockets / drainMs per second
 * @param limits          what one client may ask, see {@link HubLimits}
 */
public record HubSettings(String host, int port, long busTimeoutMs, int busBatchSize, Set<String> knownPluginIds,
                   long pluginWaitMs, long startupWaitMs, long discoveryMs, int moveConcurrency, boolean compression, AddressRanges trustedProxies,
                   boolean proxyProtocol, TlsSettings tls,
                   long drainDelayMs, long drainMs, HubLimits limits) {

  static HubSettings fromJson(JsonObject json) {
    return new HubSettings(
      json.getString("host", "127.0.0.1"),
      json.getInteger("port", 8008),
      json.getLong("busTimeoutMs", 20_000L),
      json.getInteger("busBatchSize", 1_000),
      strings(json.getJsonArray("knownPluginIds", new JsonArray())),
      json.getLong("pluginWaitMs", 8_000L),
      json.getLong("startupWaitMs", 30_000L),
      json.getLong("discoveryMs", 2_000L),
      json.getInteger("moveConcurrency", 256),
      json.getBoolean("compression", false),
      AddressRanges.parse(strings(json.getJsonArray("trustedProxies", new JsonArray()))),
      json.getBoolean("proxyProtocol", false),
      TlsSettings.fromJson(json.getJsonObject("tls")),
      json.getLong("drainDelayMs", 2_000L),
      json.getLong("drainMs", 5_000L),
      HubLimits.fromJson(json.getJsonObject("limits", new JsonObject())));
  }

  /**
   * How long a hub with this {@code hub} section drains on SIGTERM (its delay and its spread), for the launcher that
   * waits for it. Reads no more than the section: the launcher JVM loads no logging.
   */
  public static long drainDurationMs(JsonObject json) {
    HubSettings settings = fromJson(json);
    return settings.drainDelayMs() + settings.drainMs();
  }

  private static Set<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).collect(Collectors.toSet());
  }
}
