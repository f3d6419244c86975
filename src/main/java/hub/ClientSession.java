package hub;

import api.BusAddresses;
import api.ChangeEvent;
import api.ResultCode;
import api.Subscription;
import hub.rpc.ClientMessage;
import hub.rpc.JsonRpcCodec;
import hub.rpc.Rejected;
import hub.rpc.SubscribeCall;
import hub.rpc.Tuple;
import hub.rpc.UnsubscribeCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client socket: decodes its calls, forwards them to plugins grouped by pluginId, keeps its {@link ConnectionBook},
 * and writes the events published to its local address. Everything runs on the hub verticle's event loop.
 */
final class ClientSession {

  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
  /** JSON-RPC code for "the server failed while handling a valid call" (PROTOCOL.md). */
  private static final int SERVER_ERROR = 1;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final String connectionId;
  private final PluginRequester plugins;
  private final HubStats stats;
  private final ConnectionBook book;
  /** Every pluginId this socket ever sent a request to, so that close reaches each of them. */
  private final Set<String> usedPluginIds = new HashSet<>();
  private MessageConsumer<JsonObject> events;
  private Runnable onClosed = () -> { };
  private boolean closed;

  ClientSession(Vertx vertx, ServerWebSocket socket, String connectionId, PluginRequester plugins, HubStats stats) {
    this.vertx = vertx;
    this.socket = socket;
    this.connectionId = connectionId;
    this.plugins = plugins;
    this.stats = stats;
    this.book = new ConnectionBook(stats);
  }

  String connectionId() {
    return connectionId;
  }

  boolean holds(String pluginId) {
    return !book.addresses(pluginId).isEmpty();
  }

  void start(Runnable onClosed) {
    this.onClosed = onClosed;
    stats.connectionOpened();
    events = vertx.eventBus().localConsumer(BusAddresses.connection(connectionId), this::onEvent);
    socket.textMessageHandler(text -> onMessage(JsonRpcCodec.decode(text)));
    socket.binaryMessageHandler(bytes -> onMessage(JsonRpcCodec.decode(bytes)));
    socket.exceptionHandler(failure -> log.debug("socket error connection={}: {}", connectionId, failure.toString()));
    socket.closeHandler(v -> cleanUp());
  }

  /** Closes the socket with a WebSocket status code; cleanup follows from the close handler. */
  Future<Void> close(short statusCode, String reason) {
    return socket.close(statusCode, reason);
  }

  private void onMessage(ClientMessage message) {
    try {
      if (message instanceof SubscribeCall call) {
        subscribe(call);
      } else if (message instanceof UnsubscribeCall call) {
        unsubscribe(call);
      } else {
        write(((Rejected) message).reply());
      }
    } catch (RuntimeException e) {
      log.error("call failed connection={}", connectionId, e);
      Object id = message instanceof SubscribeCall call ? call.id() : message instanceof UnsubscribeCall call ? call.id() : null;
      write(JsonRpcCodec.error(id, SERVER_ERROR, "Internal error"));
    }
  }

  /** One bus request per pluginId; results go back in the client's order. */
  private void subscribe(SubscribeCall call) {
    List<Tuple> tuples = call.tuples();
    int[] results = new int[tuples.size()];
    Map<String, List<Integer>> positionsByPlugin = new LinkedHashMap<>();
    for (int i = 0; i < tuples.size(); i++) {
      Tuple tuple = tuples.get(i);
      positionsByPlugin.computeIfAbsent(tuple.pluginId(), p -> new ArrayList<>()).add(i);
      // Booked before the plugin answers, so that an unsubscribe sent right after is forwarded, not skipped.
      book.put(tuple.pluginId(), tuple.address(), tuple.checkpoint());
    }
    List<Future<int[]>> replies = new ArrayList<>(positionsByPlugin.size());
    positionsByPlugin.forEach((pluginId, positions) -> {
      List<Subscription> subscriptions = new ArrayList<>(positions.size());
      for (int position : positions) {
        Tuple tuple = tuples.get(position);
        subscriptions.add(new Subscription(tuple.address(), tuple.checkpoint()));
      }
      usedPluginIds.add(pluginId);
      replies.add(plugins.subscribe(pluginId, connectionId, subscriptions).onSuccess(codes -> {
        for (int k = 0; k < codes.length; k++) {
          results[positions.get(k)] = codes[k];
          if (codes[k] == ResultCode.UNSUPPORTED || codes[k] == ResultCode.FAILED) {
            book.remove(pluginId, subscriptions.get(k).address());
          }
        }
      }));
    });
    Future.join(replies).onComplete(done -> write(JsonRpcCodec.subscribeResult(call.id(), results)));
  }

  /** Pairs this socket never subscribed are skipped: only booked ones reach the plugins. */
  private void unsubscribe(UnsubscribeCall call) {
    Map<String, List<String>> addressesByPlugin = new LinkedHashMap<>();
    for (Tuple tuple : call.tuples()) {
      if (book.remove(tuple.pluginId(), tuple.address())) {
        addressesByPlugin.computeIfAbsent(tuple.pluginId(), p -> new ArrayList<>()).add(tuple.address());
      }
    }
    List<Future<Void>> acks = new ArrayList<>(addressesByPlugin.size());
    addressesByPlugin.forEach((pluginId, addresses) -> acks.add(plugins.unsubscribe(pluginId, connectionId, addresses)));
    Future.join(acks).onComplete(done -> write(JsonRpcCodec.unsubscribeResult(call.id())));
  }

  /**
   * Re-sends what this socket holds for a pluginId whose serving instance is new (it starts empty), each address
   * with its last known checkpoint. A replay scan that finds activity, or cannot tell, becomes an update: the client
   * re-syncs once rather than miss what happened while the plugin was down.
   */
  Future<Void> replay(String pluginId) {
    if (closed || !holds(pluginId)) {
      return Future.succeededFuture();
    }
    List<Subscription> held = new ArrayList<>();
    book.addresses(pluginId).forEach((address, checkpoint) -> held.add(new Subscription(address, checkpoint)));
    usedPluginIds.add(pluginId);
    return plugins.subscribe(pluginId, connectionId, held).map(codes -> {
      for (int k = 0; k < codes.length; k++) {
        String address = held.get(k).address();
        if (codes[k] == ResultCode.CHANGED && book.contains(pluginId, address)) {
          write(JsonRpcCodec.update(pluginId, address, null));
        }
      }
      return null;
    });
  }

  /** Events for pairs no longer booked (unsubscribed while the event was in flight) are dropped. */
  private void onEvent(Message<JsonObject> message) {
    ChangeEvent event = ChangeEvent.fromJson(message.body());
    if (!book.contains(event.pluginId(), event.address())) {
      return;
    }
    switch (event.type()) {
      case UPDATE -> {
        book.advance(event.pluginId(), event.address(), event.checkpoint());
        write(JsonRpcCodec.update(event.pluginId(), event.address(), event.checkpoint()));
      }
      case SUB_LOST -> {
        book.remove(event.pluginId(), event.address());
        write(JsonRpcCodec.subLost(event.pluginId(), event.address()));
      }
    }
  }

  private void write(String text) {
    if (closed) {
      return;
    }
    socket.writeTextMessage(text).onFailure(failure -> log.debug("write failed connection={}: {}", connectionId, failure.toString()));
  }

  private void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    events.unregister();
    for (String pluginId : usedPluginIds) {
      plugins.connectionClosed(pluginId, connectionId);
    }
    book.clear();
    stats.connectionClosed();
    onClosed.run();
  }
}
