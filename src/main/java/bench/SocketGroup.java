package bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The sockets of one event loop: sockets {@code group}, {@code group + groups}, … of the run. One verticle per event
 * loop spreads the load without locks: each socket is only ever touched from its group's loop. The run calls the
 * phase methods from its own thread; each hops onto the loop and answers with a Future.
 */
final class SocketGroup extends VerticleBase {

  private final LoadPlan plan;
  private final int group;
  private final int groups;
  private final AddressScheme scheme;
  private final LoadCounters counters;
  private final GroupTally tally = new GroupTally();
  private final List<BenchSocket> sockets = new ArrayList<>();
  /** The sockets once the reconnect storm has begun: they take over {@link #sockets}. */
  private final List<EdgeSocket> stormSockets = new ArrayList<>();
  private final StormTally stormTally = new StormTally();
  private final List<WebSocketClient> clients = new ArrayList<>();
  private WebSocketConnectOptions connectOptions;
  private boolean closing;

  SocketGroup(LoadPlan plan, int group, int groups, AddressScheme scheme, LoadCounters counters) {
    this.plan = plan;
    this.group = group;
    this.groups = groups;
    this.scheme = scheme;
    this.counters = counters;
  }

  @Override
  public Future<?> start() {
    connectOptions = Endpoints.connectOptions(plan.url(), (int) plan.phaseTimeoutMs());
    List<String> locals = plan.localAddresses().isEmpty() ? List.of("") : plan.localAddresses();
    for (String local : locals) {
      WebSocketClientOptions options = Endpoints.clientOptions(plan.sockets(), plan.deflate());
      if (!local.isEmpty()) {
        options.setLocalAddress(local);
      }
      clients.add(vertx.createWebSocketClient(options));
    }
    return Future.succeededFuture();
  }

  /** Opens this group's sockets, its share of the handshake concurrency at a time. */
  Future<ConnectTally> connectAll() {
    int concurrency = Math.max(1, plan.handshakeConcurrency() / groups + (group < plan.handshakeConcurrency() % groups ? 1 : 0));
    return onLoop(promise -> new Connector(concurrency, promise).launch());
  }

  /** Sends every socket's subscribe calls; completes once each call is answered or its socket is gone. */
  Future<Void> subscribeAll() {
    return onLoop(promise -> {
      tally.callsSent = 0;
      int expectedCalls = sockets.size() * plan.callsPerSocket();
      // Counted up front so that the completion check cannot fire while calls are still being written.
      tally.whenAllAnswered(() -> {
        if (tally.callsSent == expectedCalls) {
          promise.tryComplete();
        }
      });
      // One task per socket, so that replies are read between sockets instead of after every call is written.
      for (BenchSocket socket : sockets) {
        context.runOnContext(v -> socket.subscribe());
      }
      if (sockets.isEmpty()) {
        promise.tryComplete();
      }
    });
  }

  /** A snapshot of this group's figures, safe to read from the run's thread. */
  Future<GroupTally> tally() {
    return onLoop(promise -> promise.complete(tally.copy()));
  }

  /** Sockets of this group still missing at least one of their updates. */
  Future<Integer> socketsMissingUpdates() {
    return onLoop(promise -> promise.complete((int) sockets.stream().filter(s -> s.missingUpdates() > 0).count()));
  }

  /**
   * Hands every socket over to Edge-like reconnecting ({@link EdgeSocket}) for the reconnect storm; answers how many
   * take part. Updates from now on count as the storm's.
   */
  Future<Integer> startStorm() {
    return onLoop(promise -> {
      for (BenchSocket socket : sockets) {
        EdgeSocket stormSocket = new EdgeSocket(socket.index(), vertx, clientFor(socket.index()), connectOptions, plan,
          scheme, stormTally, counters);
        stormSocket.takeOver(socket.webSocket());
        stormSockets.add(stormSocket);
      }
      sockets.clear();
      promise.complete(stormSockets.size());
    });
  }

  /** A snapshot of this group's storm figures, with each served socket's time since {@code sinceNanos}. */
  Future<StormTally> stormTally(long sinceNanos) {
    return onLoop(promise -> {
      StormTally copy = new StormTally();
      copy.merge(stormTally);
      for (EdgeSocket socket : stormSockets) {
        if (socket.servedAtNanos() != 0) {
          copy.served((socket.servedAtNanos() - sinceNanos) / 1000);
        }
      }
      promise.complete(copy);
    });
  }

  /** Closes every socket (status 1000), stopping the storm's reconnects; completes when all are closed. */
  Future<Void> closeAll() {
    return onLoop(promise -> {
      closing = true;
      List<Future<Void>> closed = new ArrayList<>(sockets.size() + stormSockets.size());
      for (BenchSocket socket : sockets) {
        closed.add(socket.webSocket().close());
      }
      for (EdgeSocket socket : stormSockets) {
        closed.add(socket.stop());
      }
      sockets.clear();
      stormSockets.clear();
      Future.join(closed).onComplete(done -> promise.complete());
    });
  }

  @Override
  public Future<?> stop() {
    return Future.join(clients.stream().map(WebSocketClient::close).toList());
  }

  private <T> Future<T> onLoop(Handler<Promise<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.handle(promise));
    return promise.future();
  }

  /** The client of the local address socket {@code index} connects from. */
  private WebSocketClient clientFor(int index) {
    return clients.get((index / groups) % clients.size());
  }

  private void register(int index, WebSocket webSocket) {
    BenchSocket socket = new BenchSocket(index, webSocket, plan, scheme, counters, tally);
    webSocket.textMessageHandler(socket::dispatch);
    webSocket.binaryMessageHandler(buffer -> socket.dispatch(buffer.toString(StandardCharsets.UTF_8)));
    webSocket.exceptionHandler(failure -> tally.error("socket " + index + ": " + failure));
    webSocket.closeHandler(v -> {
      if (!closing) {
        counters.unexpectedClose("socket " + index + " closed by the server: status " + webSocket.closeStatusCode()
          + " " + webSocket.closeReason());
        socket.onLost();
      }
    });
    sockets.add(socket);
  }

  /** Keeps {@code concurrency} handshakes in flight until every socket of the group has been tried. */
  private final class Connector {
    private final int concurrency;
    private final Promise<ConnectTally> done;
    private int next = group;
    private int inFlight;
    private int failed;
    private int deflateAccepted;
    private String firstFailure;

    Connector(int concurrency, Promise<ConnectTally> done) {
      this.concurrency = concurrency;
      this.done = done;
    }

    void launch() {
      while (inFlight < concurrency && next < plan.sockets()) {
        int index = next;
        next += groups;
        inFlight++;
        clientFor(index).connect(connectOptions).onComplete(result -> {
          inFlight--;
          if (result.succeeded()) {
            if (Endpoints.deflateAccepted(result.result())) {
              deflateAccepted++;
            }
            register(index, result.result());
          } else {
            failed++;
            if (firstFailure == null) {
              firstFailure = result.cause().toString();
            }
          }
          launch();
        });
      }
      if (inFlight == 0 && next >= plan.sockets()) {
        done.tryComplete(new ConnectTally(sockets.size(), failed, deflateAccepted, firstFailure));
      }
    }
  }

  /** Outcome of one group's connect phase; {@code deflateAccepted}: sockets granted permessage-deflate. */
  record ConnectTally(int opened, int failed, int deflateAccepted, String firstFailure) {
  }
}
