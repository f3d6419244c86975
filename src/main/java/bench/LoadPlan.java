package bench;

import java.net.URI;
import java.util.List;

/**
 * What one load run does, as parsed from the command line.
 *
 * @param url                  the server's WebSocket URL
 * @param sockets              sockets to open (N)
 * @param addresses            addresses each socket subscribes (M)
 * @param shared               every socket subscribes the same M addresses, instead of M of its own
 * @param batch                tuples per subscribe call
 * @param handshakeConcurrency WebSocket handshakes in flight at once, over all event loops
 * @param pluginId             pluginId of every tuple; the plugin must behave like {@code fake} (one update per watch)
 * @param updateTimeoutMs      how long to wait for the updates once the subscribe phase is over
 * @param phaseTimeoutMs       how long the connect and the subscribe phase may take
 * @param eventLoops           event loops of the tool; sockets are spread over them
 * @param localAddresses       local addresses to spread the sockets over (empty: the system's choice); one local
 *                             address reaches a server port from at most ~28k ephemeral ports
 * @param burst                the emit-to-receive phase, or null to skip it
 * @param pid                  the server's root process, whose whole tree is sampled; 0 for none
 * @param liveHeap             also measure the tree's live Java heap (full GCs) before and after the subscriptions
 * @param deflate              offer permessage-deflate in every handshake, as Node's {@code ws} and Android's OkHttp do
 * @param checkpoint           checkpoint of every subscribed tuple, null for none
 * @param storm                the reconnect storm that replaces the burst, or null for none
 */
record LoadPlan(URI url, int sockets, int addresses, boolean shared, int batch, int handshakeConcurrency,
                String pluginId, long updateTimeoutMs, long phaseTimeoutMs, int eventLoops, List<String> localAddresses,
                BurstPlan burst, long pid, boolean liveHeap, boolean deflate, String checkpoint, StormPlan storm) {

  long subscriptions() {
    return (long) sockets * addresses;
  }

  int callsPerSocket() {
    return (addresses + batch - 1) / batch;
  }

  /**
   * The burst phase: ask the server's admin endpoint to emit {@code rate} updates per second for {@code durationMs}.
   */
  record BurstPlan(URI admin, int rate, long durationMs) {
  }

  /**
   * The reconnect storm: every socket turns Edge-like ({@link EdgeSocket}), then {@code restartCommand} (run with
   * {@code /bin/sh -c}) restarts the server.
   */
  record StormPlan(String restartCommand) {
  }
}
