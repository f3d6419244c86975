package chainworker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OkHttp client with a timeout on every call, and the bounded worker pool its blocking calls run on (never an event
 * loop): created and released together. Closing cancels the calls in flight and completes once each outcome has been
 * handled on its event loop, so that none arrives after Vert.x has closed (it would have no event loop to go to).
 */
final class BlockingHttp {

  private final OkHttpClient client;
  private final WorkerExecutor executor;
  /** Calls started whose outcome has not yet been handled on their event loop. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Promise<Void> idle = Promise.promise();
  private volatile boolean closing;

  private BlockingHttp(OkHttpClient client, WorkerExecutor executor) {
    this.client = client;
    this.executor = executor;
  }

  /** A plain builder: web3j's own adds a logging interceptor that would print the URL, key included. */
  static BlockingHttp create(Vertx vertx, String poolName, int poolSize, long callTimeoutMs) {
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofMillis(callTimeoutMs)).build();
    return new BlockingHttp(client, vertx.createSharedWorkerExecutor(poolName, poolSize));
  }

  OkHttpClient client() {
    return client;
  }

  /** Runs a blocking call on the pool; once closing, a call that has not started fails instead. */
  <T> Future<T> execute(Callable<T> call) {
    if (closing) {
      return Future.failedFuture(new CancellationException("closed"));
    }
    inFlight.incrementAndGet();
    return executor.<T>executeBlocking(() -> {
      if (closing) {
        throw new CancellationException("closed");
      }
      return call.call();
    }, false).andThen(outcome -> Vertx.currentContext().runOnContext(handled -> {
      // A task after the outcome's: the caller's own handlers of it have run.
      if (inFlight.decrementAndGet() == 0 && closing) {
        idle.tryComplete();
      }
    }));
  }

  Future<Void> close() {
    closing = true;
    client.dispatcher().cancelAll();
    if (inFlight.get() == 0) {
      idle.tryComplete();
    }
    return idle.future().andThen(done -> {
      executor.close();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    });
  }
}
