package chainworker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the blocking client while a call hangs at an upstream that accepted it and never answers (a real socket on
 * loopback): the call is cancelled, its outcome reaches its event loop, and only then is the close complete. Before,
 * the close completed at once and the call's outcome arrived later, after Vert.x had closed: a
 * RejectedExecutionException on a worker thread.
 */
@ExtendWith(VertxExtension.class)
class BlockingHttpTest {

  private static final long CALL_TIMEOUT_MS = 60_000;

  private ServerSocket silent;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final CountDownLatch requestArrived = new CountDownLatch(1);

  @BeforeEach
  void setUp() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          Socket socket = silent.accept();
          accepted.add(socket);
          requestArrived.countDown();
        }
      } catch (IOException closed) {
        // the test is over
      }
    }, "silent-upstream");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    silent.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  @Test
  void closeCancelsTheCallInFlightAndCompletesOnlyOnceItsOutcomeIsBack(Vertx vertx) throws Exception {
    BlockingHttp http = BlockingHttp.create(vertx, "blocking-http-test", 2, CALL_TIMEOUT_MS);
    List<String> events = new CopyOnWriteArrayList<>();
    Promise<Future<String>> started = Promise.promise();
    vertx.runOnContext(v -> started.complete(http.execute(() -> {
      try (Response response = http.client().newCall(new Request.Builder().url("http://127.0.0.1:" + silent.getLocalPort() + "/").build()).execute()) {
        return "answered " + response.code();
      }
    }).andThen(outcome -> events.add(outcome.succeeded() ? "call answered" : "call failed"))));
    Future<String> call = join(started.future());
    assertThat(requestArrived.await(10, TimeUnit.SECONDS)).as("the upstream got the request").isTrue();

    long before = System.nanoTime();
    Promise<Void> closing = Promise.promise();
    vertx.runOnContext(v -> http.close().andThen(done -> events.add("closed")).onComplete(closing));
    join(closing.future());

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).as("closed without waiting for the call's timeout")
      .isLessThan(CALL_TIMEOUT_MS / 2);
    assertThat(call.failed()).isTrue();
    assertThat(events).containsExactly("call failed", "closed");

    Promise<Future<String>> late = Promise.promise();
    vertx.runOnContext(v -> late.complete(http.execute(() -> "ran")));
    Future<String> afterClose = join(late.future());
    assertThat(afterClose.toCompletionStage().toCompletableFuture().handle((result, failure) -> failure != null).get(10, TimeUnit.SECONDS))
      .as("a call after the close is refused").isTrue();
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
