package hub;

import api.BusAddresses;
import api.ChangeEvent;
import api.EventType;
import api.Redact;
import api.ResultCode;
import api.Subscription;
import hub.ConnectionBook.Held;
import hub.routing.PluginClient;
import hub.routing.PluginDirectory;
import hub.routing.PluginInstance;
import hub.routing.PluginRouter;
import hub.routing.PluginView;
import hub.rpc.ClientMessage;
import hub.rpc.JsonRpcCodec;
import hub.rpc.Rejected;
import hub.rpc.SubscribeCall;
import hub.rpc.Tuple;
import hub.rpc.UnsubscribeCall;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import ops.MemoryGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
  private static final long ADDRESS_RECHECK_MS = 250;
  /**
   * What a message that is no call costs of its address's tuple rate: one tuple per this many bytes (an Edge tuple is
   * 60–110 bytes), so a 4 MiB message of garbage weighs as much as a call of 40,000 tuples.
   */
  private static final int BYTES_PER_TUPLE = 100;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final String connectionId;
  private final ClientAddresses.Client client;
  private final PluginRouter router;
  private final PluginDirectory directory;
  private final PluginClient plugins;
  private final Rebalancer rebalancer;
  private final HubStats stats;
  private final HubLimits limits;
  private final TokenBucket messageRate;
  private final ConnectionBook book;
  private final MemoryGuard memoryGuard;
  /** pluginId → every instance this socket ever sent something to, so that close reaches each of them. */
  private final Map<String, Set<PluginInstance>> contacted = new HashMap<>();
  private MessageConsumer<ConnectionEvents> events;
  /** The hub verticle's event loop, where everything of this socket runs. */
  private Context context;
  private Runnable onClosed = () -> { };
  private boolean closed;
  /** Why the server closed this socket; null while it has not (a close then is the client's). */
  private CloseReason closeReason;
  /** Messages refused by the rate limit in a row. */
  private int refusedInARow;
  private long slowConsumerTimer = -1;
  /** Tuples of this socket's calls not answered yet. */
  private int tuplesInFlight;
  private boolean readingPaused;
  private long addressRecheckTimer = -1;
  /** Whether this socket waits in its address's queue of held sockets. */
  private boolean queuedForAddress;
  private long lastHeardNanos = System.nanoTime();
  private long lastPingNanos;

  ClientSession(Vertx vertx, ServerWebSocket socket, String connectionId, ClientAddresses.Client client, PluginRouter router,
                Rebalancer rebalancer, HubStats stats, HubLimits limits) {
    this.vertx = vertx;
    this.socket = socket;
    this.connectionId = connectionId;
    this.client = client;
    this.router = router;
    this.directory = router.directory();
    this.plugins = router.client();
    this.rebalancer = rebalancer;
    this.stats = stats;
    this.limits = limits;
    this.messageRate = new TokenBucket(limits.messagesPerSecond(), limits.messageBurst());
    this.book = new ConnectionBook(stats, client);
    this.memoryGuard = MemoryGuard.of(vertx);
  }

  String connectionId() {
    return connectionId;
  }

  boolean holds(String pluginId) {
    return !book.addresses(pluginId).isEmpty();
  }

  void start(Runnable onClosed) {
    this.onClosed = onClosed;
    this.context = vertx.getOrCreateContext();
    stats.connectionOpened();
    events = vertx.eventBus().localConsumer(BusAddresses.connection(connectionId), this::onEvents);
    socket.setWriteQueueMaxSize(limits.writeQueueBytes());
    socket.drainHandler(v -> {
      cancelSlowConsumerTimer();
      gateReading();
    });
    socket.pongHandler(pong -> lastHeardNanos = System.nanoTime());
    socket.textMessageHandler(text -> {
      int bytes = utf8Length(text);
      if (withinSize(bytes)) {
        onMessage(JsonRpcCodec.decode(text), bytes);
      }
    });
    socket.binaryMessageHandler(frame -> {
      if (withinSize(frame.length())) {
        onMessage(JsonRpcCodec.decode(frame), frame.length());
      }
    });
    socket.exceptionHandler(failure -> log.atDebug().addKeyValue("connection", connectionId).addKeyValue("error", failure.toString()).log("socket error"));
    socket.closeHandler(v -> cleanUp());
  }

  /** Closes the socket with the reason's status, logged and counted; cleanup follows from the close handler. */
  Future<Void> close(CloseReason reason) {
    if (closeReason == null && !closed) {
      closeReason = reason;
      // A shutdown or drain closes every socket: one line for all of them (HubDrain's), not one each.
      var line = reason == CloseReason.SHUTDOWN || reason == CloseReason.DRAIN ? log.atDebug() : log.atInfo();
      line.addKeyValue("reason", reason.tag()).addKeyValue("client", Redact.client(client.address()))
        .addKeyValue("connection", connectionId).addKeyValue("subscriptions", book.size()).log("closing connection");
    }
    return socket.close(reason.status(), reason.text());
  }

  /**
   * Closes a socket that broke a rule and releases its subscriptions now: a peer that does not read may never
   * complete the closing handshake.
   */
  private void drop(CloseReason reason) {
    close(reason);
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
      drop(CloseReason.IDLE);
      return;
    }
    lastPingNanos = System.nanoTime();
    socket.writePing(Buffer.buffer()).onFailure(failure -> log.atDebug().addKeyValue("connection", connectionId).addKeyValue("error", failure.toString()).log("ping failed"));
  }

  private boolean withinSize(int bytes) {
    if (bytes <= limits.maxMessageBytes()) {
      return true;
    }
    drop(CloseReason.SIZE);
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
      drop(CloseReason.RATE);
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

  private void onMessage(ClientMessage message, int bytes) {
    // Frames already read when the socket was dropped must not subscribe anything for a connection that is gone.
    if (closed || !admitted(message)) {
      return;
    }
    try {
      if (message instanceof SubscribeCall call) {
        // Every call read costs its tuples of the address's rate, refused or not: decoding is the cost, and a client
        // that is refused must not be able to make the hub decode as fast as it can send.
        long waitMs = charge(call.tuples().size());
        if (withinLimits(call.id(), call.tuples(), true)) {
          subscribe(call, waitMs);
        } else {
          gateReading();
        }
      } else if (message instanceof UnsubscribeCall call) {
        charge(call.tuples().size());
        if (withinLimits(call.id(), call.tuples(), false)) {
          unsubscribe(call);
        } else {
          gateReading();
        }
      } else {
        // A message that is no call (bad JSON, bad params) cost its decoding too: charged by its size, so that a client
        // cannot make the hub decode garbage faster than it may send calls.
        charge(1 + bytes / BYTES_PER_TUPLE);
        write(((Rejected) message).reply());
        gateReading();
      }
    } catch (RuntimeException e) {
      log.atError().addKeyValue("connection", connectionId).setCause(e).log("call failed");
      write(JsonRpcCodec.error(idOf(message), SERVER_ERROR, "Internal error"));
    }
  }

  /**
   * Refuses a whole call over a limit, so that it changes nothing: too many tuples; too many of its client address's
   * tuples unanswered; or new pairs over this socket's limit, over its client address's budget on this hub, or while
   * this JVM's memory guard is closed (re-subscribing
   * pairs already held adds nothing and always passes). Sockets of one address on different event loops may each
   * pass the budget check with one call at the same moment: it can be overshot by a call per event loop, no more.
   */
  private boolean withinLimits(Object id, List<Tuple> tuples, boolean subscribing) {
    if (tuples.size() > limits.maxTuplesPerCall()) {
      write(JsonRpcCodec.error(id, JsonRpcCodec.INVALID_PARAMS, "Invalid params: at most " + limits.maxTuplesPerCall() + " tuples per call"));
      return false;
    }
    if (!subscribing) {
      return true;
    }
    if (client.tuplesInFlight() + tuples.size() > limits.maxTuplesInFlightPerIp()) {
      stats.budgetRefused(tuples.size());
      write(JsonRpcCodec.error(id, SERVER_ERROR, "Too many subscriptions in progress: at most " + limits.maxTuplesInFlightPerIp()
        + " at once per client address, subscribe again later"));
      // This call was read before the address reached its limit: hold the socket's next ones back until there is room.
      gateReading();
      return false;
    }
    int room = Math.min(limits.maxSubscriptionsPerConnection() - book.size(), limits.maxSubscriptionsPerIp() - client.subscriptions());
    if (tuples.size() <= room && memoryGuard.admits()) {
      return true;
    }
    int added = newPairs(tuples);
    if (added == 0) {
      return true;
    }
    if (!memoryGuard.admits()) {
      memoryGuard.refused(added);
      write(JsonRpcCodec.error(id, SERVER_ERROR, "Server busy: no new subscriptions accepted for now, subscribe again later"));
      return false;
    }
    if (book.size() + added > limits.maxSubscriptionsPerConnection()) {
      write(JsonRpcCodec.error(id, SERVER_ERROR, "Subscription limit reached: at most " + limits.maxSubscriptionsPerConnection() + " per connection"));
      return false;
    }
    if (client.subscriptions() + added > limits.maxSubscriptionsPerIp()) {
      stats.budgetRefused(added);
      log.atInfo().addKeyValue("client", Redact.client(client.address())).addKeyValue("connection", connectionId)
        .addKeyValue("subscriptions", client.subscriptions()).addKeyValue("refused", added).log("client address over its subscription budget");
      write(JsonRpcCodec.error(id, SERVER_ERROR, "Subscription limit reached: at most " + limits.maxSubscriptionsPerIp() + " per client address"));
      return false;
    }
    return true;
  }

  /** Pairs of the call this socket does not hold yet. */
  private int newPairs(List<Tuple> tuples) {
    Set<Tuple> added = new HashSet<>();
    for (Tuple tuple : tuples) {
      if (!book.contains(tuple.pluginId(), tuple.address())) {
        added.add(new Tuple(tuple.pluginId(), tuple.address(), null));
      }
    }
    return added.size();
  }

  /**
   * Charges a call's tuples to its client address's rate; returns how long the address was already in debt (0: none),
   * which is how long a subscribe read now waits before it is served.
   */
  private long charge(int tuples) {
    long waitMs = client.tupleRate().waitMs();
    client.tupleRate().charge(tuples);
    return waitMs;
  }

  /**
   * Counts the call against its client address's calls in flight, then routes it: at once, or when the rate allows if
   * it was read while its address was over it (each socket's first call, say).
   */
  private void subscribe(SubscribeCall call, long waitMs) {
    int size = call.tuples().size();
    client.inFlightChanged(size);
    started(size);
    if (waitMs == 0) {
      route(call);
    } else {
      // Read before its address ran over its rate (each socket's first call, say): served when the rate allows, so that
      // many sockets opening at once are spread over time rather than served as one spike.
      vertx.setTimer(waitMs, id -> route(call));
    }
  }

  /**
   * One routed request per pluginId; results go back in the client's order. Tuples of a pluginId the deployment serves
   * are booked before the plugin answers, so that an unsubscribe sent right after is forwarded, not skipped. Tuples of
   * a pluginId nobody has announced are booked only if a plugin accepts them: names a client merely sends must leave
   * nothing behind in this socket's book, the hub's counters or its close-time requests.
   */
  private void route(SubscribeCall call) {
    List<Tuple> tuples = call.tuples();
    if (closed) {
      client.inFlightChanged(-tuples.size());
      tuplesInFlight -= tuples.size();
      return;
    }
    int[] results = new int[tuples.size()];
    Map<String, List<Integer>> positionsByPlugin = new LinkedHashMap<>();
    for (int i = 0; i < tuples.size(); i++) {
      positionsByPlugin.computeIfAbsent(tuples.get(i).pluginId(), p -> new ArrayList<>()).add(i);
    }
    List<Future<PluginRouter.Routed>> replies = new ArrayList<>(positionsByPlugin.size());
    positionsByPlugin.forEach((pluginId, positions) -> {
      if (!directory.mayServe(pluginId)) {
        positions.forEach(position -> results[position] = ResultCode.UNSUPPORTED);
        return;
      }
      boolean booked = directory.isKnown(pluginId);
      List<Subscription> subscriptions = new ArrayList<>(positions.size());
      for (int position : positions) {
        Tuple tuple = tuples.get(position);
        subscriptions.add(new Subscription(tuple.address(), tuple.checkpoint()));
        if (booked) {
          book.hold(pluginId, tuple.address(), tuple.checkpoint()).inFlight++;
        }
      }
      replies.add(router.subscribe(pluginId, connectionId, subscriptions).onSuccess(routed -> {
        for (int k = 0; k < routed.codes().length; k++) {
          results[positions.get(k)] = routed.codes()[k];
        }
        settle(pluginId, booked, subscriptions, routed);
      }));
    });
    Future.join(replies).onComplete(done -> {
      client.inFlightChanged(-tuples.size());
      answered(tuples.size(), JsonRpcCodec.subscribeResult(call.id(), results));
    });
  }

  /**
   * Makes the book match what the plugins hold after they answered: accepted pairs in (with the instance that holds
   * them), refused ones out. What an instance holds that this socket no longer wants is released there: a pair
   * unsubscribed meanwhile, a pair whose earlier owner has just been replaced, everything if the socket closed
   * meanwhile. A pair left without an owner, or not at its rendezvous owner (the instances changed while it was in
   * flight), is handed to the rebalancer.
   */
  private void settle(String pluginId, boolean booked, List<Subscription> subscriptions, PluginRouter.Routed routed) {
    Map<PluginInstance, List<String>> released = new HashMap<>();
    Map<PluginInstance, List<String>> handedOver = new HashMap<>();
    PluginView view = directory.view(pluginId);
    boolean recheck = false;
    for (int k = 0; k < subscriptions.size(); k++) {
      String address = subscriptions.get(k).address();
      PluginInstance owner = routed.owners()[k];
      int code = routed.codes()[k];
      boolean accepted = code == ResultCode.UNCHANGED || code == ResultCode.CHANGED;
      if (owner != null) {
        contacted(pluginId, owner);
      }
      Held held = book.get(pluginId, address);
      if (held != null && booked && held.inFlight > 0) {
        held.inFlight--;
      }
      if (!accepted) {
        if (held != null && held.inFlight == 0) {
          book.remove(pluginId, address);
          addTo(released, held.owner, address);
        }
      } else if (held == null && !booked && !closed) {
        held = book.hold(pluginId, address, subscriptions.get(k).checkpoint());
        held.owner = owner;
      } else if (held == null) {
        addTo(released, owner, address);
      } else if (owner != null) {
        if (held.owner != null && !held.owner.equals(owner) && held.inFlight == 0) {
          addTo(handedOver, held.owner, address);
        }
        held.owner = owner;
      }
      recheck |= accepted && held != null && (owner == null || !owner.equals(view.ownerOf(address)));
    }
    if (closed) {
      // The socket closed while the plugins were answering: release what they took since.
      releaseAll(pluginId);
      return;
    }
    release(pluginId, released, false);
    release(pluginId, handedOver, true);
    if (recheck) {
      rebalancer.enqueue(this, pluginId);
    }
  }

  /** Pairs this socket never subscribed are skipped: only booked ones reach the instances that hold them. */
  private void unsubscribe(UnsubscribeCall call) {
    Map<String, Map<PluginInstance, List<String>>> byPluginAndOwner = new LinkedHashMap<>();
    for (Tuple tuple : call.tuples()) {
      Held held = book.remove(tuple.pluginId(), tuple.address());
      if (held != null) {
        addTo(byPluginAndOwner.computeIfAbsent(tuple.pluginId(), p -> new LinkedHashMap<>()), held.owner, tuple.address());
      }
    }
    List<Future<Void>> acks = new ArrayList<>();
    byPluginAndOwner.forEach((pluginId, byOwner) -> acks.addAll(release(pluginId, byOwner, false)));
    started(call.tuples().size());
    Future.join(acks).onComplete(done -> answered(call.tuples().size(), JsonRpcCodec.unsubscribeResult(call.id())));
  }

  /** Unsubscribes each instance's addresses there, if it is still alive; the futures never fail. */
  private List<Future<Void>> release(String pluginId, Map<PluginInstance, List<String>> byOwner, boolean handover) {
    List<Future<Void>> acks = new ArrayList<>(byOwner.size());
    byOwner.forEach((owner, addresses) -> {
      PluginInstance alive = directory.alive(owner);
      if (alive != null) {
        acks.add(plugins.unsubscribe(alive, pluginId, connectionId, addresses, handover).otherwise(failure -> {
          log.atDebug().addKeyValue("pluginId", pluginId).addKeyValue("error", failure.toString()).log("unsubscribe not confirmed");
          return null;
        }));
      }
    });
    return acks;
  }

  private static void addTo(Map<PluginInstance, List<String>> byOwner, PluginInstance owner, String address) {
    if (owner != null) {
      byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(address);
    }
  }

  /**
   * Moves this socket's subscriptions of a pluginId whose owner is no longer the one they were sent to (an instance
   * joined, left or is draining; or none was up when they came): subscribe at the new owner with the last known
   * checkpoint, then unsubscribe at the old one if it is still alive. A scan that finds activity, or cannot tell,
   * becomes an update: the client re-syncs once rather than miss what happened while nobody was watching. Returns how
   * many subscriptions it moved.
   */
  Future<Integer> rebalance(String pluginId) {
    PluginView view = directory.view(pluginId);
    if (closed || !view.served()) {
      return Future.succeededFuture(0);
    }
    Map<PluginInstance, Map<PluginInstance, List<Subscription>>> moves = new HashMap<>();
    book.addresses(pluginId).forEach((address, held) -> {
      if (held.inFlight > 0) {
        return;
      }
      PluginInstance target = view.ownerOf(address);
      if (!target.equals(held.owner)) {
        // Keyed by the origin's live object (null: gone, or never placed), so that a dead origin is one group.
        moves.computeIfAbsent(target, t -> new HashMap<>()).computeIfAbsent(directory.alive(held.owner), o -> new ArrayList<>())
          .add(new Subscription(address, held.checkpoint));
      }
    });
    List<Future<Void>> done = new ArrayList<>();
    int[] moved = {0};
    moves.forEach((target, byOrigin) -> byOrigin.forEach((origin, subscriptions) -> {
      moved[0] += subscriptions.size();
      done.add(move(pluginId, origin, target, subscriptions));
    }));
    return Future.join(done).map(v -> moved[0]);
  }

  /**
   * One move, from a live {@code origin} (a handover: it reports what it had pending) or from none (a replay: fresh
   * watches). Not confirmed (a timeout, the target leaving or not listening): the pairs go back to the origin if it is
   * alive, else unowned, the target is told to let go, and the socket is checked again shortly.
   */
  private Future<Void> move(String pluginId, PluginInstance origin, PluginInstance target, List<Subscription> subscriptions) {
    for (Subscription subscription : subscriptions) {
      Held held = book.get(pluginId, subscription.address());
      held.owner = target;
      held.inFlight++;
    }
    contacted(pluginId, target);
    stats.moved(pluginId, subscriptions.size());
    boolean handover = origin != null;
    return plugins.subscribe(target, pluginId, connectionId, subscriptions, handover).transform(reply -> {
      List<String> addresses = new ArrayList<>(subscriptions.size());
      List<String> gone = new ArrayList<>();
      for (int k = 0; k < subscriptions.size(); k++) {
        String address = subscriptions.get(k).address();
        addresses.add(address);
        Held held = book.get(pluginId, address);
        if (held == null) {
          gone.add(address);
          continue;
        }
        held.inFlight = Math.max(0, held.inFlight - 1);
        if (reply.failed()) {
          held.owner = directory.alive(origin);
        } else if (reply.result()[k] == ResultCode.CHANGED) {
          stats.moveUpdate(pluginId);
          write(JsonRpcCodec.update(pluginId, address, null));
        } else if (reply.result()[k] == ResultCode.FAILED) {
          book.remove(pluginId, address);
          stats.subLostSent(pluginId);
          write(JsonRpcCodec.subLost(pluginId, address));
        }
      }
      if (reply.succeeded()) {
        directory.answered(target);
        release(pluginId, origin == null ? Map.of() : Map.of(origin, addresses), true);
        return Future.<Void>succeededFuture();
      }
      log.atDebug().addKeyValue("pluginId", pluginId).addKeyValue("error", reply.cause().toString()).log("move not confirmed");
      if (PluginRouter.isNobodyListening(reply.cause())) {
        directory.nobodyListening(target);
      }
      // The target may hold them after all (a late answer); what the client dropped meanwhile, the origin still has.
      release(pluginId, Map.of(target, addresses), false);
      if (origin != null && !gone.isEmpty()) {
        release(pluginId, Map.of(origin, gone), false);
      }
      rebalancer.retryLater(this, pluginId);
      return Future.<Void>succeededFuture();
    });
  }

  /** Remembers an instance this socket sent something to (forgetting those that are gone: they hold nothing of it). */
  private void contacted(String pluginId, PluginInstance instance) {
    Set<PluginInstance> instances = contacted.computeIfAbsent(pluginId, p -> new HashSet<>(2));
    if (instances.add(instance) && instances.size() > 2) {
      instances.removeIf(known -> directory.alive(known) == null);
    }
  }

  /** Tells every live instance this socket sent something of {@code pluginId} to that the connection is gone. */
  private void releaseAll(String pluginId) {
    for (PluginInstance instance : contacted.getOrDefault(pluginId, Set.of())) {
      PluginInstance alive = directory.alive(instance);
      if (alive != null) {
        plugins.connectionClosed(alive, pluginId, connectionId).onFailure(failure ->
          log.atDebug().addKeyValue("pluginId", pluginId).addKeyValue("error", failure.toString()).log("connectionClosed not confirmed"));
      }
    }
  }

  private void onEvents(Message<ConnectionEvents> message) {
    for (ChangeEvent event : message.body().events()) {
      onEvent(event);
    }
  }

  /**
   * Events for pairs no longer booked (unsubscribed while the event was in flight) are dropped, and so is a subLost
   * from an instance that no longer owns the pair (it moved: the new owner has it).
   */
  private void onEvent(ChangeEvent event) {
    Held held = book.get(event.pluginId(), event.address());
    if (held == null || (event.type() == EventType.SUB_LOST && event.instanceId() != null && held.owner != null
      && !held.owner.instanceId().equals(event.instanceId()))) {
      return;
    }
    switch (event.type()) {
      case UPDATE -> {
        stats.eventSent(event.pluginId());
        book.advance(event.pluginId(), event.address(), event.checkpoint());
        write(JsonRpcCodec.update(event.pluginId(), event.address(), event.checkpoint()));
      }
      case SUB_LOST -> {
        stats.subLostSent(event.pluginId());
        book.remove(event.pluginId(), event.address());
        write(JsonRpcCodec.subLost(event.pluginId(), event.address()));
      }
    }
  }

  private void write(String text) {
    // The socket may be closed before its close handler has run (cleanUp): writing to it would throw.
    if (closed || socket.isClosed()) {
      return;
    }
    socket.writeTextMessage(text).onFailure(failure -> log.atDebug().addKeyValue("connection", connectionId).addKeyValue("error", failure.toString()).log("write failed"));
    if (socket.writeQueueFull() && slowConsumerTimer < 0) {
      gateReading();
      slowConsumerTimer = vertx.setTimer(limits.slowConsumerMs(), id -> {
        slowConsumerTimer = -1;
        if (socket.writeQueueFull()) {
          drop(CloseReason.SLOW_CONSUMER);
        }
      });
    }
  }

  private void started(int tuples) {
    tuplesInFlight += tuples;
    gateReading();
  }


  private void answered(int tuples, String reply) {
    tuplesInFlight -= tuples;
    write(reply);
    gateReading();
  }

  /**
   * Reads this socket's next message only while its client reads the replies (its write queue is not full), its
   * unanswered calls hold fewer than {@code maxTuplesPerCall} tuples, its client address's fewer than
   * {@code maxTuplesInFlightPerIp}, and that address is within its {@code maxTuplesPerSecondPerIp}. Otherwise TCP holds its further calls back, unread and undecoded: however fast a
   * client sends, the hub holds a bounded amount of its calls and replies. The address's count falls on other sockets,
   * possibly on other event loops: a socket held for it waits in its address's queue and is woken in turn by an
   * answer there, or looks again after {@value #ADDRESS_RECHECK_MS} ms (the socket woken may have had nothing to send);
   * one held for the rate looks again when the rate allows.
   * Edge's wallet sends one call of 100 at a time and is never held.
   */
  private void gateReading() {
    if (closed) {
      return;
    }
    boolean heldForAddress = client.tuplesInFlight() >= limits.maxTuplesInFlightPerIp();
    long rateWaitMs = client.tupleRate().waitMs();
    boolean pause = heldForAddress || rateWaitMs > 0 || socket.writeQueueFull() || tuplesInFlight >= limits.maxTuplesPerCall();
    if (pause != readingPaused) {
      readingPaused = pause;
      if (pause) {
        socket.pause();
      } else {
        socket.resume();
      }
    }
    if (heldForAddress && !queuedForAddress) {
      queuedForAddress = true;
      client.hold(() -> context.runOnContext(v -> {
        queuedForAddress = false;
        gateReading();
      }));
    }
    if ((heldForAddress || rateWaitMs > 0) && addressRecheckTimer < 0) {
      addressRecheckTimer = vertx.setTimer(rateWaitMs > 0 ? rateWaitMs : ADDRESS_RECHECK_MS, id -> {
        addressRecheckTimer = -1;
        gateReading();
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
    if (addressRecheckTimer >= 0) {
      vertx.cancelTimer(addressRecheckTimer);
    }
    events.unregister();
    contacted.keySet().forEach(this::releaseAll);
    book.clear();
    stats.closed(closeReason == null ? CloseReason.CLIENT : closeReason);
    stats.connectionClosed();
    onClosed.run();
  }
}
