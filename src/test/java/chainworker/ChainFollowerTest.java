package chainworker;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The follower on a scripted chain: order, no gaps, no block processed with a part missing, reorgs, outages. */
@ExtendWith(VertxExtension.class)
class ChainFollowerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String A = "0x" + "a".repeat(40);
  private static final String B = "0x" + "b".repeat(40);
  private static final String C = "0x" + "c".repeat(40);
  private static final String D = "0x" + "d".repeat(40);

  /** One processed block as the listener saw it. */
  private record Processed(long number, Set<String> touched) {
  }

  private final ScriptedRpc rpc = new ScriptedRpc();
  private final List<Processed> processed = new CopyOnWriteArrayList<>();
  private final AtomicInteger lostCalls = new AtomicInteger();
  private final List<Long> followingFrom = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private ChainFollower follower;

  @BeforeEach
  void keep(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void stop() {
    vertx.runOnContext(v -> follower.stop());
  }

  @Test
  void blocksAreProcessedInOrderWithoutGaps() throws Exception {
    startFollower();
    assertThat(followingFrom).containsExactly(0L);
    rpc.append(A);
    rpc.append(null);
    rpc.append(B);

    await().atMost(WAIT).until(() -> processed.size() == 3);
    assertThat(processed).containsExactly(new Processed(1, Set.of(A)), new Processed(2, Set.of()), new Processed(3, Set.of(B)));
  }

  @Test
  void aBlockWhoseLogsCannotBeReadIsRetriedNeverSkipped() throws Exception {
    startFollower();
    rpc.logsFailing(true);
    rpc.append(A);
    rpc.append(B);
    int callsBefore = rpc.logCalls();

    await().atMost(WAIT).until(() -> rpc.logCalls() >= callsBefore + 5);
    assertThat(processed).isEmpty();

    rpc.logsFailing(false);
    await().atMost(WAIT).until(() -> processed.size() == 2);
    assertThat(processed).containsExactly(new Processed(1, Set.of(A)), new Processed(2, Set.of(B)));
  }

  @Test
  void aReorgRewindsToTheForkPointAndProcessesTheNewBranch() throws Exception {
    startFollower();
    rpc.append(null);
    rpc.append(A);
    rpc.append(B);
    await().atMost(WAIT).until(() -> processed.size() == 3);

    // Blocks 2 and 3 are replaced by a longer branch 2', 3', 4'.
    rpc.dropLatest(2);
    rpc.append(C);
    rpc.append(null);
    rpc.append(D);

    await().atMost(WAIT).until(() -> processed.size() == 6);
    assertThat(processed.subList(3, 6)).containsExactly(new Processed(2, Set.of(C)), new Processed(3, Set.of()), new Processed(4, Set.of(D)));
    assertThat(follower.lastProcessed()).isEqualTo(4);
  }

  @Test
  void aReorgToASameHeightBranchIsNoticedFromTheHeadAlone() throws Exception {
    startFollower();
    rpc.append(A);
    await().atMost(WAIT).until(() -> processed.size() == 1);

    rpc.dropLatest(1);
    rpc.append(B);

    await().atMost(WAIT).until(() -> processed.size() == 2);
    assertThat(processed.get(1)).isEqualTo(new Processed(1, Set.of(B)));
  }

  @Test
  void aFollowerStartedWhileTheNodeIsDownStartsAtTheFirstHeadItSeesAndSaysSo() throws Exception {
    rpc.down(true);
    startFollower();
    assertThat(follower.lastProcessed()).isEqualTo(-1);
    rpc.append(A);

    rpc.down(false);

    await().atMost(WAIT).until(() -> follower.lastProcessed() == 1);
    assertThat(followingFrom).containsExactly(1L);
    assertThat(processed).isEmpty();
  }

  @Test
  void anOutagePastLostAfterIsReportedAndWhatHappenedMeanwhileIsCaughtUp() throws Exception {
    startFollower();
    rpc.down(true);
    rpc.append(A);
    rpc.append(B);

    await().atMost(WAIT).until(() -> lostCalls.get() > 0);
    assertThat(processed).isEmpty();

    rpc.down(false);
    await().atMost(WAIT).until(() -> processed.size() == 2);
    assertThat(processed).containsExactly(new Processed(1, Set.of(A)), new Processed(2, Set.of(B)));
  }

  /** Starts following, as the worker does, and returns once the first poll is over. */
  private void startFollower() throws Exception {
    EvmSettings settings = EvmSettings.fromJson(new JsonObject().put("pluginId", "scripted").put("urls", List.of("http://unused"))
      .put("pollIntervalMs", 20).put("lostAfterMs", 300).put("internalTransfers", false));
    ChainFollower.Listener listener = new ChainFollower.Listener() {
      @Override
      public void blockProcessed(long number, Set<String> touched) {
        processed.add(new Processed(number, touched));
      }

      @Override
      public void followingFrom(long number) {
        followingFrom.add(number);
      }

      @Override
      public void upstreamLost() {
        lostCalls.incrementAndGet();
      }
    };
    CompletableFuture<Void> started = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      follower = new ChainFollower(vertx, rpc, new BlockReader(rpc, new InternalTransfers(rpc, "scripted", false)), settings, listener);
      follower.start().onComplete(done -> started.complete(null));
    });
    started.get(10, TimeUnit.SECONDS);
  }
}
