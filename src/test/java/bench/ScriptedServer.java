package bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in change server for the tool's tests: answers each subscribe call as its {@link Script} says, after a
 * delay, and records what every connection sent and when it was accepted.
 */
final class ScriptedServer implements AutoCloseable {

  /** The reply to one call: its result codes, or null for an error reply; may also send notifications. */
  interface Script {
    JsonArray answer(ServerWebSocket socket, int id, JsonArray tuples);
  }

  /**
   * @param tuples          the call's [pluginId, address, checkpoint] tuples
   * @param othersUnanswered calls of the same connection still unanswered when this one arrived
   */
  record Call(int id, JsonArray tuples, int othersUnanswered) {
  }

  static final class Connection {
    final long acceptedNanos = System.nanoTime();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    int unanswered;
  }

  final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private ScriptedServer(HttpServer server) {
    this.server = server;
  }

  static ScriptedServer start(Vertx vertx, int port, boolean compression, long replyDelayMs, Script script) throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
      .setPerMessageWebSocketCompressionSupported(compression).setPerFrameWebSocketCompressionSupported(compression));
    ScriptedServer scripted = new ScriptedServer(server);
    server.webSocketHandler(socket -> scripted.serve(vertx, socket, replyDelayMs, script));
    await(server.listen());
    return scripted;
  }

  private void serve(Vertx vertx, ServerWebSocket socket, long replyDelayMs, Script script) {
    Connection connection = new Connection();
    connections.add(connection);
    socket.textMessageHandler(text -> {
      JsonObject call = new JsonObject(text);
      int id = call.getInteger("id");
      JsonArray tuples = call.getJsonArray("params");
      connection.calls.add(new Call(id, tuples, connection.unanswered));
      connection.unanswered++;
      vertx.setTimer(Math.max(1, replyDelayMs), timer -> {
        connection.unanswered--;
        JsonArray codes = script.answer(socket, id, tuples);
        JsonObject reply = new JsonObject().put("jsonrpc", "2.0").put("id", id);
        if (codes != null) {
          reply.put("result", codes);
        } else {
          reply.put("error", new JsonObject().put("code", 1).put("message", "scripted failure"));
        }
        socket.writeTextMessage(reply.encode());
      });
    });
  }

  /** Stops listening and closes every connection, as a server that goes down does. */
  @Override
  public void close() throws Exception {
    await(server.close());
  }

  static JsonArray codes(int code, int count) {
    JsonArray codes = new JsonArray();
    for (int i = 0; i < count; i++) {
      codes.add(code);
    }
    return codes;
  }

  static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
