package bench;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.FreePorts;

import java.net.URI;
import java.util.List;

import static bench.ScriptedServer.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code --deflate}: the handshake offers permessage-deflate, and the connect phase counts the sockets granted it. */
@ExtendWith(VertxExtension.class)
class DeflateOfferTest {

  @Test
  void countsTheSocketsWhoseHandshakeResponseGrantedPermessageDeflate(Vertx vertx) throws Exception {
    assertThat(grantedOn(vertx, true, true)).isEqualTo(3);
    assertThat(grantedOn(vertx, true, false)).as("server declines").isZero();
    assertThat(grantedOn(vertx, false, true)).as("not offered").isZero();
  }

  private static int grantedOn(Vertx vertx, boolean offered, boolean serverAccepts) throws Exception {
    int port = FreePorts.next();
    try (ScriptedServer server = ScriptedServer.start(vertx, port, serverAccepts, 0, (socket, id, tuples) -> null)) {
      LoadPlan plan = new LoadPlan(URI.create("ws://127.0.0.1:" + port), 3, 1, false, 1, 3, "fake", 1_000, 10_000, 1,
        List.of(), null, 0, false, offered, null, null);
      SocketGroup group = new SocketGroup(plan, 0, 1, new AddressScheme("d", false), new LoadCounters());
      String deployment = await(vertx.deployVerticle(group));
      try {
        SocketGroup.ConnectTally tally = await(group.connectAll());
        assertThat(tally.opened()).isEqualTo(3);
        await(group.closeAll());
        return tally.deflateAccepted();
      } finally {
        await(vertx.undeploy(deployment));
      }
    }
  }
}
