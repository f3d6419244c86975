package hub;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.FuzzMessages;
import testkit.InlineHub;
import testkit.WsTestClient;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 100,000 seeded hostile messages through a live hub: every message gets exactly one reply (or, for an oversized one,
 * the socket is closed with 1009), a well-behaved client is served throughout, nothing leaks and the heap stays
 * bounded. Rerun a failure with {@code -Dfuzz.seed=<seed>}.
 */
@ExtendWith(VertxExtension.class)
class HubFuzzTest {

  private static final int MESSAGES = 100_000;
  private static final int WINDOW = 250;
  private static final int MAX_MESSAGE_BYTES = 64 * 1024;

  @Test
  void everyHostileMessageGetsOneReplyAndTheHubKeepsServing(Vertx vertx) throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("fuzz seed " + seed);
    try (InlineHub hub = InlineHub.deploy(vertx, new JsonObject().put("limits", new JsonObject()
      .put("maxMessageBytes", MAX_MESSAGE_BYTES).put("messagesPerSecond", 1_000_000).put("messageBurst", 1_000_000)))) {
      long heapBefore = usedHeapAfterGc();
      WsTestClient wellBehaved = hub.connect();
      WsTestClient hostile = hub.connect();
      FuzzMessages messages = new FuzzMessages(seed);
      int oversized = 0;
      for (int sent = 0; sent < MESSAGES; sent += WINDOW) {
        for (int i = 0; i < WINDOW; i++) {
          FuzzMessages.Message message = messages.next();
          if (message.text() != null) {
            hostile.send(message.text());
          } else {
            hostile.sendBinary(message.binary());
          }
        }
        awaitReplies(hostile, WINDOW, seed, sent);
        if (sent % 20_000 == 0) {
          hostile.send("[\"" + "x".repeat(MAX_MESSAGE_BYTES) + "\"]");
          assertThat(hostile.awaitClosed(Duration.ofSeconds(10))).as("seed %d: oversized frame closes", seed).isTrue();
          assertThat(hostile.closeStatus()).isEqualTo((short) 1009);
          oversized++;
          hostile = hub.connect();
        }
        String reply = wellBehaved.callSkippingNotifications("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"good-" + sent + "\"]],\"id\":\"g\"}");
        assertThat(reply).as("seed %d: the well-behaved client after %d messages", seed, sent).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":\"g\"}");
      }
      hostile.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.pluginStats().connections() == 1);
      assertThat(oversized).isEqualTo(MESSAGES / 20_000);
      long heapAfter = usedHeapAfterGc();
      System.out.printf("fuzz: %d messages, heap used %d MB before, %d MB after%n", MESSAGES, heapBefore >> 20, heapAfter >> 20);
      assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(128L << 20);
    }
  }

  /** Replies have an id member; update notifications (from fake subscriptions that happened to be valid) do not. */
  private static void awaitReplies(WsTestClient client, int expected, long seed, int sent) {
    int replies = 0;
    while (replies < expected) {
      String message;
      try {
        message = client.next(Duration.ofSeconds(30));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": only " + replies + " of " + expected + " replies for the window after " + sent, e);
      }
      JsonObject json = new JsonObject(message);
      if (!json.containsKey("method")) {
        replies++;
      }
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
