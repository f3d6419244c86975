package app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import testkit.FreePorts;
import testkit.JarProcess;
import testkit.WalletFleet;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The whole server restarted under wallets that behave like Edge's (reconnect exactly 5 s after a close, then
 * re-subscribe everything in calls of 100, one at a time): how many of their answers after the restart were 2 (a
 * re-sync of that address), and how long until every socket was served again. A measurement, not a CI test (its
 * figures depend on the machine), run by hand after {@code mvn package}:
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) -Dstorm.sockets=2000 app.RestartStormBenchmark
 * </pre>
 * Results: docs/BENCHMARKS.md.
 */
public final class RestartStormBenchmark {

  public static void main(String[] args) throws Exception {
    int sockets = Integer.getInteger("storm.sockets", 2_000);
    int addresses = Integer.getInteger("storm.addresses", 100);
    int hubPort = FreePorts.next();
    int adminPort = FreePorts.next();
    JsonObject chains = new JsonObject();
    for (String pluginId : List.of("bitcoin", "bitcoincash", "litecoin", "dogecoin", "qtum")) {
      chains.put(pluginId, new JsonObject().put("urls", new JsonArray().add("ws://127.0.0.1:" + FreePorts.next() + "/")));
    }
    // The default topology (role all: hub, fake and blockbook JVMs); every test socket comes from one address.
    JsonObject config = new JsonObject()
      .put("hub", new JsonObject().put("port", hubPort).put("limits", new JsonObject().put("maxConnectionsPerIp", 100_000)))
      .put("admin", new JsonObject().put("port", adminPort).put("childMetricsPortBase", 0))
      .put("cluster", new JsonObject().put("name", "storm-" + UUID.randomUUID()).put("port", FreePorts.clusterPortBlocks(1)[0])
        .put("portCount", FreePorts.CLUSTER_PORT_BLOCK))
      .put("plugins", new JsonObject().put("blockbook", new JsonObject().put("chains", chains)));
    Vertx vertx = Vertx.vertx();
    JarProcess server = JarProcess.start("storm-server-1", config, false);
    try {
      WalletFleet fleet = connectWhenUp(vertx, hubPort, sockets);
      fleet.subscribeEach("s", addresses);
      System.out.printf("before the restart: %d sockets x %d, answers %s%n", sockets, addresses, fleet.resultCounts());
      fleet.awaitUpdates(1, Duration.ofSeconds(120));
      fleet.resetResults();
      fleet.reconnectAfter(Duration.ofSeconds(5));

      long stoppedAt = System.nanoTime();
      System.out.printf("SIGTERM: exit %s after %d ms%n", server.terminate(60), Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis());
      server = JarProcess.start("storm-server-2", config, false);
      long total = (long) sockets * addresses;
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (answered(fleet) < total && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      System.out.printf("after the restart: %d of %d answers in %d ms from the SIGTERM: %s (reconnects %d, error replies %d, subLost %d)%n",
        answered(fleet), total, Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis(), fleet.resultCounts(), fleet.reconnects(),
        fleet.errorReplies(), fleet.subLost());
      fleet.close();
    } finally {
      server.close();
      vertx.close();
    }
  }

  private static long answered(WalletFleet fleet) {
    return fleet.resultCounts().values().stream().mapToLong(Long::longValue).sum();
  }

  private static WalletFleet connectWhenUp(Vertx vertx, int port, int sockets) throws InterruptedException {
    for (int attempt = 0; attempt < 600; attempt++) {
      try {
        return WalletFleet.connect(vertx, "127.0.0.1", port, sockets);
      } catch (AssertionError notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("server never accepted");
  }
}
