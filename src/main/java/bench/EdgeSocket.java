package bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * One socket of the reconnect storm, behaving as Edge's wallet core does (PROTOCOL.md, "How the real client
 * behaves"): after any close, and after a refused or failed connect, it connects again exactly {@value #RECONNECT_MS}
 * ms later, with no jitter; once open it subscribes all its addresses again in calls of at most {@code batch} tuples,
 * one call at a time, each tuple with the run's checkpoint. An error reply counts its tuples as answered (Edge reads it
 * as 0 for each) and is not retried. The socket is served once every address has an answer on its current connection;
 * a close takes that back until the next connection is served. Lives on its group's event loop only.
 */
final class EdgeSocket implements ServerMessages {

  static final long RECONNECT_MS = 5_000;
  /** Edge's wallet core sends at most this many tuples per call. */
  static final int CALL_SIZE = 100;

  private final int index;
  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocketConnectOptions connectOptions;
  private final LoadPlan plan;
  private final AddressScheme scheme;
  private final StormTally tally;
  /** Served sockets and storm updates over the whole run, which tell the run when the phase is over. */
  private final LoadCounters counters;
  /** The open connection, null while waiting to reconnect or connecting. */
  private WebSocket webSocket;
  /** The call awaiting its reply, -1 when none. */
  private int callInFlight = -1;
  /** When this socket was last served ({@link System#nanoTime()}), 0 while it is not. */
  private long servedAtNanos;
  private boolean stopped;

  EdgeSocket(int index, Vertx vertx, WebSocketClient client, WebSocketConnectOptions connectOptions, LoadPlan plan,
             AddressScheme scheme, StormTally tally, LoadCounters counters) {
    this.index = index;
    this.vertx = vertx;
    this.client = client;
    this.connectOptions = connectOptions;
    this.plan = plan;
    this.scheme = scheme;
    this.tally = tally;
    this.counters = counters;
  }

  /** Takes over a socket whose addresses are subscribed already: nothing to send until it closes. */
  void takeOver(WebSocket subscribed) {
    if (subscribed.isClosed()) {
      reconnectLater();
    } else {
      attach(subscribed);
    }
  }

  /** When this socket was last served, 0 if it is not served now. */
  long servedAtNanos() {
    return servedAtNanos;
  }

  /** Ends the reconnecting (the close phase): closes the open connection, if any; completes once it is closed. */
  Future<Void> stop() {
    stopped = true;
    return webSocket == null || webSocket.isClosed() ? Future.succeededFuture() : webSocket.close();
  }

  private void attach(WebSocket opened) {
    webSocket = opened;
    opened.textMessageHandler(this::dispatch);
    opened.binaryMessageHandler(buffer -> dispatch(buffer.toString(StandardCharsets.UTF_8)));
    opened.exceptionHandler(failure -> tally.error("socket " + index + ": " + failure));
    opened.closeHandler(v -> closed(opened));
  }

  private void closed(WebSocket which) {
    if (stopped || which != webSocket) {
      return;
    }
    tally.closes++;
    webSocket = null;
    if (callInFlight >= 0) {
      callInFlight = -1;
      tally.callsLost++;
    }
    if (servedAtNanos != 0) {
      servedAtNanos = 0;
      counters.stormServedSockets.decrementAndGet();
    }
    reconnectLater();
  }

  private void reconnectLater() {
    vertx.setTimer(RECONNECT_MS, id -> reconnect());
  }

  private void reconnect() {
    if (stopped) {
      return;
    }
    tally.reconnectAttempts++;
    client.connect(connectOptions).onComplete(connected -> {
      if (connected.failed()) {
        tally.failedConnect(connected.cause());
        if (!stopped) {
          reconnectLater();
        }
        return;
      }
      WebSocket opened = connected.result();
      if (stopped) {
        opened.close();
        return;
      }
      tally.reconnects++;
      if (Endpoints.deflateAccepted(opened)) {
        tally.deflateAccepted++;
      }
      attach(opened);
      send(0);
    });
  }

  private void send(int call) {
    callInFlight = call;
    tally.callsSent++;
    // A write to a socket that just closed fails quietly; its close handler accounts for the call.
    webSocket.writeTextMessage(RpcText.subscribe(call, plan.pluginId(), i -> scheme.address(index, i), firstTuple(call),
      firstTuple(call + 1), plan.checkpoint()));
  }

  /** Call {@code call} of a round holds the tuples from this one up to the next call's first. */
  private int firstTuple(int call) {
    return Math.min(plan.addresses(), call * plan.batch());
  }

  @Override
  public void onReply(JsonObject reply) {
    Object id = reply.getValue("id");
    if (callInFlight < 0 || !(id instanceof Number number) || number.intValue() != callInFlight) {
      onUnreadable("socket " + index + ": reply to a call not in flight: id " + id);
      return;
    }
    int call = callInFlight;
    int tuples = firstTuple(call + 1) - firstTuple(call);
    if (reply.getValue("result") instanceof JsonArray codes) {
      codes.forEach(tally::result);
      if (codes.size() != tuples) {
        onUnreadable("socket " + index + ": " + codes.size() + " codes for " + tuples + " tuples");
      }
    } else {
      tally.errorReply(tuples, "subscribe answered " + ServerMessages.abbreviate(reply.encode()));
    }
    callInFlight = -1;
    if (call + 1 < plan.callsPerSocket()) {
      send(call + 1);
    } else {
      servedAtNanos = System.nanoTime();
      counters.stormServedSockets.incrementAndGet();
    }
  }

  @Override
  public void onUpdate(JsonArray tuple) {
    // Expected here: a restarted plugin watches every address afresh, and the fake one then sends an update.
    if (ServerMessages.addressIndex(tuple, index, plan, scheme) >= 0) {
      counters.stormUpdates.increment();
    } else {
      tally.unexpectedUpdates++;
    }
  }

  @Override
  public void onSubLost() {
    tally.subLost++;
  }

  @Override
  public void onUnreadable(String what) {
    tally.protocolError(what);
  }
}
