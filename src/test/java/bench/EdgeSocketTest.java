package bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.FreePorts;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static bench.ScriptedServer.await;
import static bench.ScriptedServer.codes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The storm's Edge-like schedule against a server that goes down with every socket and refuses connections for 7 s:
 * the reconnect 5 s after the close is refused, the one 5 s later gets in, and then subscribes everything again in
 * sequential calls of at most 100 tuples with the checkpoint; the results, the error reply and the updates land in
 * their own counts.
 */
@ExtendWith(VertxExtension.class)
class EdgeSocketTest {

  private static final int SOCKETS = 10;
  private static final int ADDRESSES = 250;
  private static final String CHECKPOINT = "1000000";

  private final List<ScriptedServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws Exception {
    for (ScriptedServer server : servers) {
      server.close();
    }
  }

  @Test
  void reconnectsFiveSecondsAfterTheCloseAndEveryFiveWhileRefusedThenResubscribesInSequentialCallsOf100(Vertx vertx)
    throws Exception {
    int port = FreePorts.next();
    ScriptedServer before = start(vertx, port, 0, (socket, id, tuples) -> codes(1, tuples.size()));
    LoadPlan plan = new LoadPlan(URI.create("ws://127.0.0.1:" + port), SOCKETS, ADDRESSES, false, EdgeSocket.CALL_SIZE,
      SOCKETS, "fake", 1_000, 30_000, 1, List.of(), null, 0, false, false, CHECKPOINT,
      new LoadPlan.StormPlan("unused"));
    LoadCounters counters = new LoadCounters();
    SocketGroup group = new SocketGroup(plan, 0, 1, new AddressScheme("t", false), counters);
    await(vertx.deployVerticle(group));
    assertThat(await(group.connectAll()).opened()).isEqualTo(SOCKETS);
    await(group.subscribeAll());
    assertThat(await(group.startStorm())).isEqualTo(SOCKETS);

    long downAt = System.nanoTime();
    before.close();
    Thread.sleep(7_000);
    // After the restart: the first call is answered with 2s (and an update for its first address, as a fresh watch
    // sends), the second with an error, the third with 1s. Replies take 50 ms, so a call sent early would overlap.
    ScriptedServer after = start(vertx, port, 50, (socket, id, tuples) -> {
      if (id == 0) {
        socket.writeTextMessage(new JsonObject().put("jsonrpc", "2.0").put("method", "update")
          .put("params", new JsonArray().add("fake").add(tuples.getJsonArray(0).getString(1)).addNull()).encode());
        return codes(2, tuples.size());
      }
      return id == 1 ? null : codes(1, tuples.size());
    });
    await().atMost(Duration.ofSeconds(15)).until(() -> counters.stormServedSockets.get() == SOCKETS);
    StormTally tally = await(group.stormTally(downAt));

    assertThat(after.connections).hasSize(SOCKETS);
    for (ScriptedServer.Connection connection : after.connections) {
      assertThat((connection.acceptedNanos - downAt) / 1_000_000).as("ms from the close to the accepted reconnect")
        .isBetween(2 * EdgeSocket.RECONNECT_MS - 50, 2 * EdgeSocket.RECONNECT_MS + 1_000);
      assertThat(connection.calls).extracting(call -> call.tuples().size()).containsExactly(100, 100, 50);
      assertThat(connection.calls).extracting(ScriptedServer.Call::othersUnanswered).containsOnly(0);
      for (ScriptedServer.Call call : connection.calls) {
        call.tuples().forEach(tuple -> assertThat(((JsonArray) tuple).getValue(2)).isEqualTo(CHECKPOINT));
      }
    }
    assertThat(tally.closes).isEqualTo(SOCKETS);
    assertThat(tally.reconnectAttempts).isEqualTo(2 * SOCKETS);
    assertThat(tally.failedConnects).isEqualTo(SOCKETS);
    assertThat(tally.reconnects).isEqualTo(SOCKETS);
    assertThat(tally.callsSent).isEqualTo(3 * SOCKETS);
    assertThat(tally.callsLost).isZero();
    assertThat(tally.results(2)).isEqualTo(100L * SOCKETS);
    assertThat(tally.results(1)).isEqualTo(50L * SOCKETS);
    assertThat(tally.results(0) + tally.results(-1) + tally.otherResults).isZero();
    assertThat(tally.errorReplies).isEqualTo(SOCKETS);
    assertThat(tally.errorTuples).isEqualTo(100L * SOCKETS);
    assertThat(counters.stormUpdates.sum()).isEqualTo(SOCKETS);
    assertThat(tally.unexpectedUpdates + tally.subLost + tally.protocolErrors).isZero();
    assertThat(tally.servedMicros.count()).isEqualTo(SOCKETS);
    assertThat(tally.firstServedMicros / 1000).isGreaterThanOrEqualTo(2 * EdgeSocket.RECONNECT_MS);
    // The storm's updates are its own: the first phase's counts stay as they were.
    assertThat(counters.watchUpdates.sum() + counters.duplicateUpdates.sum() + counters.unexpectedUpdates.sum()).isZero();

    await(group.closeAll());
    assertThat(await(group.stormTally(downAt)).closes).as("closes of the close phase are not the storm's").isEqualTo(SOCKETS);
  }

  private ScriptedServer start(Vertx vertx, int port, long replyDelayMs, ScriptedServer.Script script) throws Exception {
    ScriptedServer server = ScriptedServer.start(vertx, port, false, replyDelayMs, script);
    servers.add(server);
    return server;
  }
}
