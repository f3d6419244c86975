package plugins.blockbook.upstream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One open WebSocket to Blockbook, speaking its envelope: {@code {id, method, params}} out, {@code {id, data}} back,
 * ids always strings (a numeric id makes Blockbook close the connection). Replies come out of order and interleaved
 * with notifications; every request has a timeout because an unknown method gets no reply at all. Notifications carry
 * the id of the subscribe call that asked for them. Requests beyond {@code maxInFlight} wait in a queue; requests
 * beyond the message budget fail with {@link BlockbookException.Kind#BUDGET}. Used from one context.
 */
public final class BlockbookSocket {

  private static final Logger log = LoggerFactory.getLogger(BlockbookSocket.class);

  private record Request(String id, String method, JsonObject params, Promise<JsonObject> reply) {
  }

  private final Vertx vertx;
  private final WebSocket webSocket;
  private final SocketSettings settings;
  /** Which connection of the chain this is, e.g. {@code bitcoin/blocks}; logged as {@code link}. */
  private final String link;
  /** The URL with its key masked. */
  private final String url;
  private final MessageBudget budget;
  private final Map<String, Request> inFlight = new HashMap<>();
  private final Map<String, Long> timeouts = new HashMap<>();
  private final ArrayDeque<Request> queued = new ArrayDeque<>();
  /** Subscribe call id → handler of the notifications that carry it. */
  private final Map<String, Handler<JsonObject>> notifications = new HashMap<>();
  private final Promise<Void> closed = Promise.promise();
  private final long pingTimer;
  private long nextId;
  private boolean closeWhenIdle;

  BlockbookSocket(Vertx vertx, WebSocket webSocket, SocketSettings settings, String link, String url) {
    this.vertx = vertx;
    this.webSocket = webSocket;
    this.settings = settings;
    this.link = link;
    this.url = url;
    this.budget = new MessageBudget(settings.messageBudget(), settings.messageWindowMs(), System::currentTimeMillis);
    webSocket.textMessageHandler(this::received);
    webSocket.exceptionHandler(e -> log.atDebug().addKeyValue("pluginId", UpstreamLink.pluginIdOf(link)).addKeyValue("link", link)
      .addKeyValue("url", url).addKeyValue("error", e.toString())
      .log("upstream connection error"));
    webSocket.closeHandler(v -> closedUnderneath());
    pingTimer = vertx.setPeriodic(settings.pingIntervalMs(), id -> ping());
  }

  /** A request whose reply completes the future; Blockbook's error replies fail it with a server error. */
  public Future<JsonObject> request(String method, JsonObject params) {
    return send(method, params, null);
  }

  /**
   * A subscribe call: its notifications go to {@code handler}. Notifications of an earlier call with the same handler
   * still in flight keep arriving with the earlier id, so earlier ids stay routed.
   */
  public Future<JsonObject> subscribe(String method, JsonObject params, Handler<JsonObject> handler) {
    return send(method, params, handler);
  }

  /** Stops routing notifications to {@code handler} (after an unsubscribe). */
  public void dropNotifications(Handler<JsonObject> handler) {
    notifications.values().removeIf(h -> h == handler);
  }

  /** The URL with its key masked, for logs. */
  public String url() {
    return url;
  }

  public boolean isOpen() {
    return !closed.future().isComplete();
  }

  /** Messages this connection may still send in the current window. */
  public int budgetLeft() {
    return budget.remaining();
  }

  public int pendingRequests() {
    return inFlight.size() + queued.size();
  }

  /** Completes once the connection is closed, by either side. */
  public Future<Void> closeFuture() {
    return closed.future();
  }

  public void close() {
    if (isOpen()) {
      webSocket.close();
      closedUnderneath();
    }
  }

  /** Closes now if nothing is pending, else once the last pending reply is in (a retired scan connection). */
  public void closeWhenIdle() {
    closeWhenIdle = true;
    if (pendingRequests() == 0) {
      close();
    }
  }

  private Future<JsonObject> send(String method, JsonObject params, Handler<JsonObject> handler) {
    if (!isOpen()) {
      return Future.failedFuture(new BlockbookException(BlockbookException.Kind.CLOSED, "connection closed"));
    }
    Request request = new Request(Long.toString(nextId++), method, params, Promise.promise());
    if (handler != null) {
      notifications.put(request.id(), handler);
    }
    if (inFlight.size() >= settings.maxInFlight()) {
      queued.add(request);
    } else {
      transmit(request);
    }
    return request.reply().future();
  }

  private void transmit(Request request) {
    if (!budget.tryTake()) {
      notifications.remove(request.id());
      request.reply().fail(new BlockbookException(BlockbookException.Kind.BUDGET, "message budget exhausted"));
      return;
    }
    inFlight.put(request.id(), request);
    timeouts.put(request.id(), vertx.setTimer(settings.requestTimeoutMs(), t -> timedOut(request.id())));
    JsonObject envelope = new JsonObject().put("id", request.id()).put("method", request.method()).put("params", request.params());
    webSocket.writeTextMessage(envelope.encode());
  }

  private void received(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      log.atDebug().addKeyValue("pluginId", UpstreamLink.pluginIdOf(link)).addKeyValue("link", link).addKeyValue("url", url)
        .log("upstream sent something that is not a JSON object");
      return;
    }
    Object id = message.getValue("id");
    JsonObject data = message.getValue("data") instanceof JsonObject object ? object : new JsonObject();
    if (!(id instanceof String key)) {
      return;
    }
    Request request = inFlight.get(key);
    Handler<JsonObject> handler = notifications.get(key);
    // A subscribe's reply and its notifications share an id; the reply is the one shaped like a reply.
    if (request != null && (handler == null || data.containsKey("subscribed") || data.containsKey("error"))) {
      complete(request, data);
    } else if (handler != null) {
      handler.handle(data);
    }
  }

  private void complete(Request request, JsonObject data) {
    finish(request.id());
    Object error = data.getValue("error");
    if (error != null) {
      notifications.remove(request.id());
      String reason = error instanceof JsonObject object ? object.getString("message", "error") : String.valueOf(error);
      request.reply().fail(new BlockbookException(BlockbookException.Kind.SERVER_ERROR, request.method() + ": " + reason));
    } else {
      request.reply().complete(data);
    }
    afterReply();
  }

  private void timedOut(String id) {
    Request request = inFlight.get(id);
    if (request == null) {
      return;
    }
    finish(id);
    notifications.remove(id);
    request.reply().fail(new BlockbookException(BlockbookException.Kind.TIMEOUT, request.method() + " timed out"));
    afterReply();
  }

  private void finish(String id) {
    inFlight.remove(id);
    Long timer = timeouts.remove(id);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void afterReply() {
    while (!queued.isEmpty() && inFlight.size() < settings.maxInFlight() && isOpen()) {
      transmit(queued.poll());
    }
    if (closeWhenIdle && pendingRequests() == 0) {
      close();
    }
  }

  /** A ping that goes unanswered means the connection is dead even if TCP has not noticed yet. */
  private void ping() {
    request("ping", new JsonObject()).onFailure(failure -> {
      if (failure instanceof BlockbookException e && e.kind() == BlockbookException.Kind.TIMEOUT) {
        log.atInfo().addKeyValue("pluginId", UpstreamLink.pluginIdOf(link)).addKeyValue("link", link).addKeyValue("url", url)
          .log("upstream did not answer a ping: closing");
        close();
      }
    });
  }

  /** Fails everything pending; callbacks run after the state is cleared, since they may send (and be refused). */
  private void closedUnderneath() {
    if (!isOpen()) {
      return;
    }
    vertx.cancelTimer(pingTimer);
    timeouts.values().forEach(vertx::cancelTimer);
    timeouts.clear();
    List<Request> pending = new ArrayList<>(inFlight.values());
    pending.addAll(queued);
    inFlight.clear();
    queued.clear();
    notifications.clear();
    closed.complete();
    BlockbookException closedFailure = new BlockbookException(BlockbookException.Kind.CLOSED, "connection closed");
    pending.forEach(request -> request.reply().tryFail(closedFailure));
  }
}
