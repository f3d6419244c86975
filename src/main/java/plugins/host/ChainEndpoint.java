package plugins.host;

import api.plugin.ActivitySink;
import api.plugin.Chain;
import api.Action;
import api.BusAddresses;
import api.BusCodecs;
import api.BurstRequest;
import api.ChangeEvent;
import api.ConnectionClosed;
import api.NodeIds;
import api.PluginStats;
import api.Redact;
import api.ResultCode;
import api.SubscribeReply;
import api.SubscribeRequest;
import api.Subscription;
import api.UnsubscribeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import ops.MemoryGuard;
import ops.Metrics;
import ops.PluginMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.FairQueue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves one pluginId on this instance's own address ({@link BusAddresses#plugin(String, String)}): keeps its {@link SubscriptionBook}, starts and stops the chain's
 * upstream watches as addresses gain their first or lose their last subscriber, and turns the chain's activity into
 * events for every subscribed connection.
 */
public final class ChainEndpoint implements ActivitySink {

  private static final Logger log = LoggerFactory.getLogger(ChainEndpoint.class);
  private static final JsonObject EMPTY_REPLY = new JsonObject();

  private final Vertx vertx;
  private final Chain chain;
  private final HubEventSender events;
  private final long scanTimeoutMs;
  private final String instanceId;
  private final SubscriptionBook book = new SubscriptionBook();
  /** Requests about connections, waiting for their turn: served round-robin across clients (see {@link #handle}). */
  private final FairQueue<Message<Object>> waiting = new FairQueue<>();
  private boolean serving;
  private MessageConsumer<Object> consumer;
  private PluginMeters meters;
  private MemoryGuard memoryGuard;

  public ChainEndpoint(Vertx vertx, Chain chain, HubEventSender events, long scanTimeoutMs, String instanceId) {
    this.vertx = vertx;
    this.instanceId = instanceId;
    this.chain = chain;
    this.events = events;
    this.scanTimeoutMs = scanTimeoutMs;
  }

  public String pluginId() {
    return chain.pluginId();
  }

  /** Starts the chain, then serves the bus address; succeeds once the consumer is registered cluster-wide. */
  public Future<Void> start() {
    meters = new PluginMeters(Metrics.of(vertx).registry(), chain, book);
    memoryGuard = MemoryGuard.of(vertx);
    BusCodecs.register(vertx);
    return chain.start(this).compose(v -> {
      consumer = vertx.eventBus().consumer(BusAddresses.plugin(chain.pluginId(), instanceId), this::handle);
      return consumer.completion();
    });
  }

  /**
   * Stops taking requests: from here a hub's request finds nobody listening and goes to another instance. Called in the
   * same event-loop task that found a drain complete, so that nothing can be accepted between the two.
   */
  public Future<Void> stopServing() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    consumer = null;
    return unregistered;
  }

  public Future<Void> stop() {
    meters.close();
    return stopServing().eventually(chain::stop);
  }

  /** Drops every connection of a hub that left the cluster, and its requests still waiting (nobody awaits the replies). */
  public void hubLeft(String hubNodeId) {
    waiting.removeKeys(client -> NodeIds.hubOf(client).equals(hubNodeId));
    book.removeHub(hubNodeId).forEach(chain::unwatch);
  }

  /** Whether this instance holds no subscription of this pluginId any more, nor any request to take one (a drain is complete). */
  public boolean isEmpty() {
    return book.subscriptions() == 0 && waiting.isEmpty();
  }

  public PluginStats stats() {
    return new PluginStats(chain.pluginId(), book.watchedAddresses(), book.subscriptions(), book.connections(), chain.status());
  }

  @Override
  public void activity(String normalizedAddress, String checkpoint) {
    for (Map.Entry<String, String> subscriber : book.subscribers(normalizedAddress).entrySet()) {
      meters.eventSent();
      events.send(ChangeEvent.update(subscriber.getKey(), chain.pluginId(), subscriber.getValue(), checkpoint));
    }
  }

  @Override
  public void lost(String normalizedAddress) {
    Map<String, String> dropped = book.removeAddress(normalizedAddress);
    if (dropped.isEmpty()) {
      return;
    }
    chain.unwatch(normalizedAddress);
    log.atWarn().addKeyValue("pluginId", chain.pluginId()).addKeyValue("address", Redact.address(normalizedAddress))
      .addKeyValue("connections", dropped.size()).log("subscription lost");
    dropped.forEach((connectionId, exact) -> {
      meters.eventSent();
      events.send(ChangeEvent.subLost(connectionId, chain.pluginId(), exact, instanceId));
    });
  }

  /**
   * A request about a connection waits for its client's turn: requests are served one per event-loop task, round-robin
   * across client addresses (a connectionId names its client, {@link NodeIds#clientOf}), each client's in the order
   * they came. So one client whose calls pile up here delays another's next request by one of its own, not by its whole
   * backlog (a hostile client's 10,000-tuple calls held a wallet's call of 100 for seconds behind them). Stats and
   * bursts are answered at once.
   */
  private void handle(Message<Object> message) {
    String connectionId = connectionIdOf(message.body());
    if (connectionId == null) {
      serve(message);
      return;
    }
    waiting.add(NodeIds.clientOf(connectionId), message);
    if (!serving) {
      serving = true;
      vertx.runOnContext(v -> serveNext());
    }
  }

  private static String connectionIdOf(Object body) {
    if (body instanceof SubscribeRequest request) {
      return request.connectionId();
    }
    if (body instanceof UnsubscribeRequest request) {
      return request.connectionId();
    }
    return body instanceof ConnectionClosed closed ? closed.connectionId() : null;
  }

  /** Serves the next waiting request, then lets requests that arrived meanwhile queue up before the one after. */
  private void serveNext() {
    Message<Object> next = waiting.poll();
    if (next != null) {
      serve(next);
    }
    if (waiting.isEmpty()) {
      serving = false;
    } else {
      vertx.runOnContext(v -> serveNext());
    }
  }

  /** The body's type follows the action: a contract record (see {@link BusCodecs}), or JSON for stats and bursts. */
  private void serve(Message<Object> message) {
    Action action = Action.fromWire(message.headers().get(BusAddresses.ACTION_HEADER));
    if (action == null) {
      message.fail(400, "unknown action");
      return;
    }
    try {
      switch (action) {
        case SUBSCRIBE -> subscribe((SubscribeRequest) message.body()).onSuccess(message::reply);
        case UNSUBSCRIBE -> {
          unsubscribe((UnsubscribeRequest) message.body());
          message.reply(EMPTY_REPLY);
        }
        case CONNECTION_CLOSED -> {
          book.removeConnection(((ConnectionClosed) message.body()).connectionId()).forEach(chain::unwatch);
          message.reply(EMPTY_REPLY);
        }
        case STATS -> message.reply(stats());
        case BURST -> message.reply(BurstRequest.scheduledReply(Burst.start(vertx, BurstRequest.fromJson((JsonObject) message.body()), book.addresses(), this::activity)));
      }
    } catch (RuntimeException e) {
      // A body of the wrong kind or shape from a peer on the bus: answer it, keep serving.
      log.atWarn().addKeyValue("pluginId", chain.pluginId()).addKeyValue("action", action.wireName())
        .addKeyValue("error", e.toString()).log("bad request on the bus");
      message.fail(400, "malformed " + action.wireName() + " request");
    }
  }

  /**
   * Records every valid address before any scan starts, so that an unsubscribe or close arriving next always finds
   * it; the reply waits for the scans, each bounded by the scan timeout (a late scan answers 2). A handover (a hub moving
   * addresses here from another instance) starts its new watches with {@link Chain#adopt}. While this JVM's
   * {@link MemoryGuard} is closed, a pair not held yet answers 0 and is not stored (the hub drops it from its book, the
   * client subscribes again later); replays and handovers are admitted the same way, so a restarted JVM cannot be
   * filled past its guard by the replay of what killed it.
   */
  private Future<SubscribeReply> subscribe(SubscribeRequest request) {
    List<Subscription> addresses = request.addresses();
    int[] results = new int[addresses.size()];
    String[] normalized = new String[addresses.size()];
    boolean guarded = !memoryGuard.admits();
    int refused = 0;
    for (int i = 0; i < results.length; i++) {
      Subscription subscription = addresses.get(i);
      normalized[i] = subscription.address() == null ? null : chain.normalize(subscription.address());
      if (normalized[i] != null && guarded && !book.has(request.connectionId(), normalized[i])) {
        normalized[i] = null;
        refused++;
      }
      if (normalized[i] == null) {
        results[i] = ResultCode.FAILED;
      } else if (book.add(request.connectionId(), normalized[i], subscription.address())) {
        if (request.handover()) {
          chain.adopt(normalized[i]);
        } else {
          chain.watch(normalized[i]);
        }
      }
    }
    memoryGuard.refused(refused);
    ScanCollector collector = new ScanCollector(results);
    for (int i = 0; i < results.length; i++) {
      if (normalized[i] != null) {
        collector.expect(i, safeScan(normalized[i], addresses.get(i).checkpoint()));
      }
    }
    return collector.done();
  }

  private Future<Integer> safeScan(String normalized, String checkpoint) {
    Future<Integer> scan;
    try {
      scan = chain.scan(normalized, checkpoint);
    } catch (RuntimeException e) {
      scan = Future.failedFuture(e);
    }
    // A scan answered at once (the common case: cache, fake, no checkpoint) needs no timer and no extra future.
    if (scan.succeeded() && scan.result() != null) {
      return scan;
    }
    Future<Integer> bounded = scan.isComplete() ? scan : scan.timeout(scanTimeoutMs, TimeUnit.MILLISECONDS);
    return bounded.otherwise(failure -> {
      log.atDebug().addKeyValue("pluginId", chain.pluginId()).addKeyValue("address", Redact.address(normalized))
        .addKeyValue("checkpoint", checkpoint).addKeyValue("error", failure.toString()).log("scan failed");
      return ResultCode.CHANGED;
    });
  }

  private void unsubscribe(UnsubscribeRequest request) {
    for (String address : request.addresses()) {
      String normalized = address == null ? null : chain.normalize(address);
      if (normalized == null) {
        continue;
      }
      // Whatever was pending for the address goes out now, to every subscriber still here, this one included: a
      // connection handed over must not miss it, and the instance it goes to will not invent it again.
      if (request.handover() && book.subscribers(normalized).containsKey(request.connectionId())) {
        chain.release(normalized);
      }
      if (book.remove(request.connectionId(), normalized)) {
        chain.unwatch(normalized);
      }
    }
  }
}
