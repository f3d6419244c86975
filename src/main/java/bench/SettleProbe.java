package bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * A fresh client's view of the server: connect, subscribe one new address, wait for the reply. Used after the load's
 * sockets close, to see how long the server takes to serve newcomers promptly again.
 */
final class SettleProbe {

  private final WebSocketClient client;
  private final WebSocketConnectOptions connectOptions;
  private final String pluginId;
  private final AddressScheme scheme;
  private final long timeoutMs;
  private int probes;

  SettleProbe(Vertx vertx, LoadPlan plan, AddressScheme scheme, long timeoutMs) {
    this.client = vertx.createWebSocketClient(Endpoints.clientOptions(1, plan.deflate()));
    this.connectOptions = Endpoints.connectOptions(plan.url(), (int) timeoutMs);
    this.pluginId = plan.pluginId();
    this.scheme = scheme;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Nanoseconds from connect to the subscribe reply; fails on an error reply, or when the handshake or the reply
   * takes longer than the timeout.
   */
  Future<Long> probe() {
    int probe = probes++;
    long started = System.nanoTime();
    return client.connect(connectOptions).compose(webSocket -> {
      Promise<Long> answered = Promise.promise();
      webSocket.textMessageHandler(text -> {
        JsonObject reply = new JsonObject(text);
        if (reply.containsKey("result")) {
          answered.tryComplete(System.nanoTime() - started);
        } else if (reply.containsKey("error")) {
          answered.tryFail("subscribe answered " + text);
        }
      });
      webSocket.closeHandler(v -> answered.tryFail("closed by the server: status " + webSocket.closeStatusCode()));
      webSocket.writeTextMessage(RpcText.subscribe(0, pluginId, i -> scheme.probeAddress(probe), 0, 1, null));
      return answered.future().timeout(timeoutMs, TimeUnit.MILLISECONDS).eventually(() -> closeQuietly(webSocket));
    });
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<Void> closeQuietly(WebSocket webSocket) {
    return webSocket.close().otherwiseEmpty();
  }
}
