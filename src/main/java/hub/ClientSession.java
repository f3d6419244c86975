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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
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
  /** JSON-RPC code for "the server failed while handling a valid call" (PROTOCOL.md); also used for limits. */
  private static final int SERVER_ERROR = 1;
  private static final short POLICY_VIOLATION = 1008;
  private static final short GOING_AWAY = 1001;
  private static final short MESSAGE_TOO_BIG = 1009;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final String connectionId;
  private final PluginRequester plugins;
  private final HubStats stats;
  private final HubLimits limits;
  private final TokenBucket messageRate;
  private final ConnectionBook book;
  /** Every pluginId this socket ever sent a request to, so that close reaches each of them. */
  private final Set<String> usedPluginIds = new HashSet<>();
  private MessageConsumer<ConnectionEvents> events;
  private Runnable onClosed = () -> { };
  private boolean closed;
  /** Messages refused by the rate limit in a row. */
  private int refusedInARow;
  private long slowConsumerTimer = -1;
  private long lastHeardNanos = System.nanoTime();
  private long lastPingNanos;

  ClientSession(Vertx vertx, ServerWebSocket socket, String connectionId, PluginRequester plugins, HubStats stats, HubLimits limits) {
    this.vertx = vertx;
    this.socket = socket;
    this.connectionId = connectionId;
    this.plugins = plugins;
    this.stats = stats;
    this.limits = limits;
    this.messageRate = new TokenBucket(limits.messagesPerSecond(), limits.messageBurst());
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
    events = vertx.eventBus().localConsumer(BusAddresses.connection(connectionId), this::onEvents);
    socket.setWriteQueueMaxSize(limits.writeQueueBytes());
    socket.drainHandler(v -> cancelSlowConsumerTimer());
    socket.pongHandler(pong -> lastHeardNanos = System.nanoTime());
    socket.textMessageHandler(text -> {
      if (withinSize(utf8Length(text))) {
        onMessage(JsonRpcCodec.decode(text));
      }
    });
    socket.binaryMessageHandler(bytes -> {
      if (withinSize(bytes.length())) {
        onMessage(JsonRpcCodec.decode(bytes));
      }
    });
    socket.exceptionHandler(failure -> log.atDebug().addKeyValue("connection", connectionId).addKeyValue("error", failure.toString()).log("socket error"));
    socket.closeHandler(v -> cleanUp());
  }

  /** Closes the socket with a WebSocket status code; cleanup follows from the close handler. */
  Future<Void> close(short statusCode, String reason) {
    return socket.close(statusCode, reason);
  }

  /**
   * Closes a socket that broke a rule and releases its subscriptions now: a peer that does not read may never
   * complete the closing handshake.
   */
  private void drop(short statusCode, String reason) {
    close(statusCode, reason);
    cleanUp();
  }

  /**
   * Called every ping interval: a socket that sent nothing, not even a pong, since the previous ping is half-open or
   * dead and must not keep its subscriptions alive.
   */
  void keepAlive() {
    if (closed) {
      return;
    }
    if (lastPingNanos != 0 && lastHeardNanos < lastPingNanos) {
      log.atDebug().addKeyValue("connection", connectionId).log("no pong, closing");
      drop(GOING_AWAY, "no pong");
      return;
    }
    lastPingNanos = System.nanoTime();
    socket.writePing(Buffer.buffer()).onFailure(failure -> log.atDebug().addKeyValue("connection", connectionId).addKeyValue("error", failure.toString()).log("ping failed"));
  }

  private boolean withinSize(int bytes) {
    if (bytes <= limits.maxMessageBytes()) {
      return true;
    }
    drop(MESSAGE_TOO_BIG, "message too big");
    return false;
  }

  /** UTF-8 size of a text message, computed only when its length alone cannot settle the limit. */
  private int utf8Length(String text) {
    if ((long) text.length() * 3 <= limits.maxMessageBytes()) {
      return text.length();
    }
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The rate limit: a message over it gets error 1 (with its id when it has one) without being served; a socket that
   * goes on sending that fast for a whole burst more is closed.
   */
  private boolean admitted(ClientMessage message) {
    lastHeardNanos = System.nanoTime();
    if (messageRate.tryTake()) {
      refusedInARow = 0;
      return true;
    }
    if (++refusedInARow > limits.messageBurst()) {
      drop(POLICY_VIOLATION, "rate limit");
    } else {
      write(JsonRpcCodec.error(idOf(message), SERVER_ERROR, "Rate limit exceeded: at most " + limits.messagesPerSecond() + " messages per second"));
    }
    return false;
  }

  private static Object idOf(ClientMessage message) {
    if (message instanceof SubscribeCall call) {
      return call.id();
    }
    return message instanceof UnsubscribeCall call ? call.id() : null;
  }

  private void onMessage(ClientMessage message) {
    // Frames already read when the socket was dropped must not subscribe anything for a connection that is gone.
    if (closed || !admitted(message)) {
      return;
    }
    try {
      if (message instanceof SubscribeCall call) {
        if (withinLimits(call.id(), call.tuples(), true)) {
          subscribe(call);
        }
      } else if (message instanceof UnsubscribeCall call) {
        if (withinLimits(call.id(), call.tuples(), false)) {
          unsubscribe(call);
        }
      } else {
        write(((Rejected) message).reply());
      }
    } catch (RuntimeException e) {
      log.atError().addKeyValue("connection", connectionId).setCause(e).log("call failed");
      write(JsonRpcCodec.error(idOf(message), SERVER_ERROR, "Internal error"));
    }
  }

  /** Refuses a whole call over a limit, so that it changes nothing. */
  private boolean withinLimits(Object id, List<Tuple> tuples, boolean subscribing) {
    if (tuples.size() > limits.maxTuplesPerCall()) {
      write(JsonRpcCodec.error(id, JsonRpcCodec.INVALID_PARAMS, "Invalid params: at most " + limits.maxTuplesPerCall() + " tuples per call"));
      return false;
    }
    if (subscribing && book.size() + newPairs(tuples) > limits.maxSubscriptionsPerConnection()) {
      write(JsonRpcCodec.error(id, SERVER_ERROR, "Subscription limit reached: at most " + limits.maxSubscriptionsPerConnection() + " per connection"));
      return false;
    }
    return true;
  }

  /** Pairs of the call this socket does not hold yet; counted exactly only when the call could reach the limit. */
  private int newPairs(List<Tuple> tuples) {
    if (book.size() + tuples.size() <= limits.maxSubscriptionsPerConnection()) {
      return tuples.size();
    }
    Set<Tuple> added = new HashSet<>();
    for (Tuple tuple : tuples) {
      if (!book.contains(tuple.pluginId(), tuple.address())) {
        added.add(new Tuple(tuple.pluginId(), tuple.address(), null));
      }
    }
    return added.size();
  }

  /**
   * One bus request per pluginId; results go back in the client's order. Tuples of a pluginId the deployment serves
   * are booked before the plugin answers, so that an unsubscribe sent right after is forwarded, not skipped. Tuples of
   * a pluginId nobody has announced are booked only if a plugin accepts them: names a client merely sends must leave
   * nothing behind in this socket's book, the hub's counters or its close-time requests.
   */
  private void subscribe(SubscribeCall call) {
    List<Tuple> tuples = call.tuples();
    int[] results = new int[tuples.size()];
    Map<String, List<Integer>> positionsByPlugin = new LinkedHashMap<>();
    for (int i = 0; i < tuples.size(); i++) {
      positionsByPlugin.computeIfAbsent(tuples.get(i).pluginId(), p -> new ArrayList<>()).add(i);
    }
    List<Future<int[]>> replies = new ArrayList<>(positionsByPlugin.size());
    positionsByPlugin.forEach((pluginId, positions) -> {
      boolean known = plugins.isKnown(pluginId);
      List<Subscription> subscriptions = new ArrayList<>(positions.size());
      for (int position : positions) {
        Tuple tuple = tuples.get(position);
        subscriptions.add(new Subscription(tuple.address(), tuple.checkpoint()));
        if (known) {
          book.put(pluginId, tuple.address(), tuple.checkpoint());
        }
      }
      if (known) {
        usedPluginIds.add(pluginId);
      }
      replies.add(plugins.subscribe(pluginId, connectionId, subscriptions).onSuccess(codes -> {
        for (int k = 0; k < codes.length; k++) {
          results[positions.get(k)] = codes[k];
        }
        settle(pluginId, known, subscriptions, codes);
      }));
    });
    Future.join(replies).onComplete(done -> write(JsonRpcCodec.subscribeResult(call.id(), results)));
  }

  /** Makes the book match what the plugin holds after it answered: accepted pairs in, refused ones out. */
  private void settle(String pluginId, boolean booked, List<Subscription> subscriptions, int[] codes) {
    boolean accepted = false;
    for (int k = 0; k < codes.length; k++) {
      Subscription subscription = subscriptions.get(k);
      boolean held = codes[k] == ResultCode.UNCHANGED || codes[k] == ResultCode.CHANGED;
      accepted |= held;
      if (!held && booked) {
        book.remove(pluginId, subscription.address());
      } else if (held && !booked && !closed) {
        book.put(pluginId, subscription.address(), subscription.checkpoint());
      }
    }
    if (!booked && accepted) {
      if (closed) {
        // The socket closed while a plugin the hub had not heard of yet was answering: release what it took.
        plugins.connectionClosed(pluginId, connectionId);
      } else {
        usedPluginIds.add(pluginId);
      }
    }
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
    stats.replayed(pluginId, held.size());
    return plugins.subscribe(pluginId, connectionId, held).map(codes -> {
      for (int k = 0; k < codes.length; k++) {
        String address = held.get(k).address();
        if (codes[k] == ResultCode.CHANGED && book.contains(pluginId, address)) {
          stats.eventSent(pluginId);
          write(JsonRpcCodec.update(pluginId, address, null));
        }
      }
      return null;
    });
  }

  private void onEvents(Message<ConnectionEvents> message) {
    for (ChangeEvent event : message.body().events()) {
      onEvent(event);
    }
  }

  /** Events for pairs no longer booked (unsubscribed while the event was in flight) are dropped. */
  private void onEvent(ChangeEvent event) {
    if (!book.contains(event.pluginId(), event.address())) {
      return;
    }
    stats.eventSent(event.pluginId());
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
    socket.writeTextMessage(text).onFailure(failure -> log.atDebug().addKeyValue("connection", connectionId).addKeyValue("error", failure.toString()).log("write failed"));
    if (socket.writeQueueFull() && slowConsumerTimer < 0) {
      slowConsumerTimer = vertx.setTimer(limits.slowConsumerMs(), id -> {
        slowConsumerTimer = -1;
        if (socket.writeQueueFull()) {
          log.atInfo().addKeyValue("connection", connectionId).log("not reading, closing");
          drop(POLICY_VIOLATION, "not reading");
        }
      });
    }
  }

  private void cancelSlowConsumerTimer() {
    if (slowConsumerTimer >= 0) {
      vertx.cancelTimer(slowConsumerTimer);
      slowConsumerTimer = -1;
    }
  }

  private void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    cancelSlowConsumerTimer();
    events.unregister();
    for (String pluginId : usedPluginIds) {
      plugins.connectionClosed(pluginId, connectionId);
    }
    book.clear();
    stats.connectionClosed();
    onClosed.run();
  }
}
