package hub.rpc;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import testkit.FuzzMessages;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** 100,000 seeded hostile messages against the codec: it never throws, and every rejection is a well-formed error. */
class JsonRpcFuzzTest {

  private static final int MESSAGES = 100_000;
  private static final Set<Integer> ERROR_CODES = Set.of(-32700, -32600, -32601, -32602, -32603);

  @Test
  void decodeNeverThrowsAndEveryRejectionIsAWellFormedError() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    FuzzMessages messages = new FuzzMessages(seed);
    for (int i = 0; i < MESSAGES; i++) {
      FuzzMessages.Message message = messages.next();
      ClientMessage decoded;
      try {
        decoded = message.text() != null ? JsonRpcCodec.decode(message.text()) : JsonRpcCodec.decode(Buffer.buffer(message.binary()));
      } catch (Throwable t) {
        throw new AssertionError("decode threw on message " + i + " (rerun with -Dfuzz.seed=" + seed + "): " + message, t);
      }
      assertThat(decoded).as("seed %d, message %d: %s", seed, i, message).isNotNull();
      if (decoded instanceof Rejected rejected) {
        JsonObject reply = new JsonObject(rejected.reply());
        assertThat(reply.getString("jsonrpc")).isEqualTo("2.0");
        assertThat(reply.containsKey("id")).as("seed %d, message %d: %s", seed, i, message).isTrue();
        if (!ERROR_CODES.contains(reply.getJsonObject("error").getInteger("code"))) {
          fail("seed %d, message %d: unexpected error %s for %s", seed, i, reply, message);
        }
      }
    }
  }
}
