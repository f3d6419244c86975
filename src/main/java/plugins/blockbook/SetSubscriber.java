package plugins.blockbook;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import plugins.blockbook.upstream.BlockbookException;
import plugins.blockbook.upstream.BlockbookSocket;
import support.Backoff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends one connection's address set to Blockbook ({@code subscribeAddresses} replaces the whole set) and copes with
 * the ways a real server refuses it, none of which may cost the other addresses their watch:
 * <ul>
 *   <li>{@code work_limit} and {@code Internal error} (an overloaded or failing server; the call was not applied):
 *   retried on the same connection with backoff, up to {@value #MAX_RETRIES} times;</li>
 *   <li>{@code Invalid address "X", …} (v0.6.0 names the first address its parser refuses; the whole call is refused
 *   and the previous set stays): X is dropped and the rest sent again;</li>
 *   <li>any other refusal naming no address (older servers give the parser's bare error): the addresses the server has
 *   not accepted yet on this connection are bisected, the ones accepted kept in every probe, until each culprit is
 *   found alone.</li>
 * </ul>
 * A limit refusal ({@code addresses max N}) is a configuration error, not an address's fault: it fails the send.
 */
final class SetSubscriber {

  /** What a send ended with: the addresses the server refused (dropped from the set that is now subscribed). */
  record Outcome(Set<String> refused) {
  }

  private static final int MAX_RETRIES = 6;

  private final Vertx vertx;
  private final Handler<JsonObject> notifications;
  private final Backoff backoff;

  SetSubscriber(Vertx vertx, Handler<JsonObject> notifications, Backoff backoff) {
    this.vertx = vertx;
    this.notifications = notifications;
    this.backoff = backoff;
  }

  /**
   * Subscribes {@code addresses} on {@code socket} with or without {@code newBlockTxs}; {@code accepted} are addresses
   * the server has already accepted on it (never suspected). Fails only for what no change of the set can fix.
   */
  Future<Outcome> send(BlockbookSocket socket, List<String> addresses, Set<String> accepted, boolean newBlockTxs) {
    Set<String> known = new LinkedHashSet<>();
    List<String> candidates = new ArrayList<>();
    for (String address : addresses) {
      if (accepted.contains(address)) {
        known.add(address);
      } else {
        candidates.add(address);
      }
    }
    Set<String> refused = new HashSet<>();
    backoff.reset();
    return probe(socket, known, candidates, newBlockTxs, refused).compose(lastProbeWasAll -> {
      if (lastProbeWasAll) {
        return Future.succeededFuture(new Outcome(refused));
      }
      // The probes left a subset subscribed: the whole good set goes out last.
      List<String> good = addresses.stream().filter(address -> !refused.contains(address)).toList();
      return subscribe(socket, good, newBlockTxs, 0).map(v -> new Outcome(refused));
    });
  }

  /**
   * Subscribes {@code known ∪ candidates}, finding the candidates the server refuses (added to {@code refused}); true
   * when the set subscribed last is exactly the good part of {@code known ∪ candidates}.
   */
  private Future<Boolean> probe(BlockbookSocket socket, Set<String> known, List<String> candidates, boolean newBlockTxs, Set<String> refused) {
    List<String> all = new ArrayList<>(known);
    all.addAll(candidates);
    return subscribe(socket, all, newBlockTxs, 0).transform(sent -> {
      if (sent.succeeded()) {
        return Future.succeededFuture(true);
      }
      if (!(sent.cause() instanceof AddressRefused refusal)) {
        return Future.failedFuture(sent.cause());
      }
      if (refusal.address() != null && candidates.contains(refusal.address())) {
        refused.add(refusal.address());
        List<String> rest = new ArrayList<>(candidates);
        rest.remove(refusal.address());
        return probe(socket, known, rest, newBlockTxs, refused);
      }
      if (candidates.size() <= 1) {
        refused.addAll(candidates);
        if (known.isEmpty()) {
          return Future.succeededFuture(candidates.isEmpty());
        }
        // The known part alone was accepted before: put it back.
        return subscribe(socket, new ArrayList<>(known), newBlockTxs, 0).map(true);
      }
      List<String> firstHalf = candidates.subList(0, candidates.size() / 2);
      List<String> secondHalf = candidates.subList(candidates.size() / 2, candidates.size());
      return probe(socket, known, firstHalf, newBlockTxs, refused).compose(v -> {
        Set<String> grown = new LinkedHashSet<>(known);
        firstHalf.stream().filter(address -> !refused.contains(address)).forEach(grown::add);
        return probe(socket, grown, secondHalf, newBlockTxs, refused);
      });
    });
  }

  /** One subscribeAddresses; a transient refusal is retried with backoff, an address refusal fails with {@link AddressRefused}. */
  private Future<Void> subscribe(BlockbookSocket socket, List<String> addresses, boolean newBlockTxs, int attempt) {
    if (addresses.isEmpty()) {
      socket.dropNotifications(notifications);
      return socket.request("unsubscribeAddresses", new JsonObject()).mapEmpty();
    }
    JsonObject params = new JsonObject().put("addresses", new JsonArray(new ArrayList<>(addresses)));
    if (newBlockTxs) {
      params.put("newBlockTxs", true);
    }
    return socket.subscribe("subscribeAddresses", params, notifications).<Void>mapEmpty().recover(failure -> {
      if (!(failure instanceof BlockbookException e) || e.kind() != BlockbookException.Kind.SERVER_ERROR) {
        return Future.failedFuture(failure);
      }
      String reason = e.getMessage();
      if (reason.contains("work_limit") || reason.contains("Internal error")) {
        if (attempt >= MAX_RETRIES || !socket.isOpen()) {
          return Future.failedFuture(failure);
        }
        return vertx.timer(backoff.nextDelayMs()).compose(v -> subscribe(socket, addresses, newBlockTxs, attempt + 1));
      }
      if (reason.contains("addresses max")) {
        return Future.failedFuture(failure);
      }
      return Future.failedFuture(new AddressRefused(namedAddress(reason), reason));
    });
  }

  /** The address in {@code Invalid address "X", …} (Go's quoting; addresses hold no quote or backslash), else null. */
  static String namedAddress(String reason) {
    String prefix = "Invalid address \"";
    int start = reason.indexOf(prefix);
    if (start < 0) {
      return null;
    }
    int from = start + prefix.length();
    int end = reason.indexOf('"', from);
    return end < 0 ? null : reason.substring(from, end);
  }

  /** The server refused the set because of an address: the one it named, or null when it named none. */
  static final class AddressRefused extends RuntimeException {

    private final String address;

    AddressRefused(String address, String reason) {
      super(reason, null, false, false);
      this.address = address;
    }

    String address() {
      return address;
    }
  }
}
