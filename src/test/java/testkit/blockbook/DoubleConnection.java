package testkit.blockbook;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;

/** One client connection of the double and what Blockbook keeps for it. Mutated on the double's context only. */
final class DoubleConnection {

  final int serial;
  final ServerWebSocket socket;
  /** The current subscribeAddresses set as the client wrote it: each call replaces it. Read by tests from other threads. */
  volatile Set<String> addresses = Set.of();
  /** The same set in the parser's canonical form: what notifications are matched by and name. */
  Set<String> canonical = Set.of();
  /** The id of the latest subscribeAddresses call: every address notification carries it. */
  String addressesId;
  boolean newBlockTxs;
  /** The id of the subscribeNewBlock call, or null. */
  String newBlockId;
  final Set<String> descriptors = new HashSet<>();
  int messages;

  DoubleConnection(int serial, ServerWebSocket socket) {
    this.serial = serial;
    this.socket = socket;
  }

  void send(String id, JsonObject data) {
    if (!socket.isClosed()) {
      socket.writeTextMessage(new JsonObject().put("id", id).put("data", data).encode());
    }
  }
}
