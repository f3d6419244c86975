package hub;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who a socket belongs to, and what each client address holds on this hub JVM: its sockets and, across all of them, its
 * subscriptions (the per-address budgets). {@code X-Forwarded-For} is believed only when the peer itself is in a
 * configured trusted proxy range (otherwise any client could claim any address). Shared by the hub verticles of one JVM.
 */
final class ClientAddresses implements Shareable {

  private static final String KEY = "changeserver.clientAddresses";

  /** What one client address holds on this hub; a client's sockets may live on different event loops. */
  static final class Client {
    private final String address;
    /** This hub's number for the address, in its connections' ids: plugins serve clients in turn by it. */
    private final long serial;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final AtomicInteger tuplesInFlight = new AtomicInteger();
    private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
    /** Tuples its calls may carry per second, across its sockets: a second's worth at once, then the rate. */
    private final TokenBucket tupleRate;
    private int sockets;

    private Client(String address, long serial, int tuplesPerSecond) {
      this.address = address;
      this.serial = serial;
      this.tupleRate = new TokenBucket(tuplesPerSecond, tuplesPerSecond);
    }

    TokenBucket tupleRate() {
      return tupleRate;
    }

    String address() {
      return address;
    }

    long serial() {
      return serial;
    }

    int subscriptions() {
      return subscriptions.get();
    }

    void subscriptionsChanged(int delta) {
      subscriptions.addAndGet(delta);
    }

    /** Tuples of this address's subscribe calls not answered yet, across its sockets. */
    int tuplesInFlight() {
      return tuplesInFlight.get();
    }

    /** A call started ({@code delta} > 0) or was answered: an answer lets one socket held for this address look again. */
    void inFlightChanged(int delta) {
      tuplesInFlight.addAndGet(delta);
      if (delta < 0) {
        Runnable next = held.poll();
        if (next != null) {
          next.run();
        }
      }
    }

    /**
     * Queues a socket held back because this address has too much in flight; it is woken in turn, one per answered
     * call, so that room for one call is not raced for by every held socket at once.
     */
    void hold(Runnable wake) {
      held.add(wake);
    }
  }

  private final AddressRanges trustedProxies;
  private final int maxPerAddress;
  private final int tuplesPerSecond;
  private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();
  private final AtomicLong serials = new AtomicLong();

  private ClientAddresses(AddressRanges trustedProxies, HubLimits limits) {
    this.trustedProxies = trustedProxies;
    this.maxPerAddress = limits.maxConnectionsPerIp();
    this.tuplesPerSecond = limits.maxTuplesPerSecondPerIp();
  }

  /** The one instance of this Vert.x instance (its settings come from the first hub verticle that asks). */
  static ClientAddresses of(Vertx vertx, AddressRanges trustedProxies, HubLimits limits) {
    return (ClientAddresses) vertx.sharedData().getLocalMap("changeserver")
      .computeIfAbsent(KEY, k -> new ClientAddresses(trustedProxies, limits));
  }

  /**
   * The client a socket belongs to: its peer (with {@code hub.proxyProtocol}, the source address the PROXY header
   * gave), or, when that peer is a trusted proxy, the right-most {@code X-Forwarded-For} entry that is not itself a
   * trusted proxy. Right-most, because each proxy appends the peer it saw: entries left of the last untrusted one were
   * written by that untrusted client and may be anything.
   */
  String clientOf(ServerWebSocket socket) {
    String peer = socket.remoteAddress() == null ? "unknown" : AddressRanges.canonical(socket.remoteAddress().hostAddress());
    List<String> forwarded = socket.headers().getAll("X-Forwarded-For");
    if (forwarded.isEmpty() || !trustedProxies.contains(peer)) {
      return peer;
    }
    // Several headers count as one list, in order (RFC 7230 3.2.2).
    String[] hops = String.join(",", forwarded).split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return AddressRanges.canonical(hop);
      }
    }
    return peer;
  }

  /** Counts a new socket from {@code address}; null (and not counted) when that address is at its limit. */
  Client tryOpen(String address) {
    Client[] admitted = new Client[1];
    clients.compute(address, (a, client) -> {
      Client counted = client == null ? new Client(a, serials.incrementAndGet(), tuplesPerSecond) : client;
      if (counted.sockets >= maxPerAddress) {
        return client;
      }
      counted.sockets++;
      admitted[0] = counted;
      return counted;
    });
    return admitted[0];
  }

  /** A socket of {@code client} closed (after its subscriptions were released): forgets a client with none left. */
  void close(Client client) {
    clients.computeIfPresent(client.address, (a, counted) -> --counted.sockets <= 0 ? null : counted);
  }
}
