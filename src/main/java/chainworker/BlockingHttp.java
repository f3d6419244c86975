package chainworker;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import okhttp3.OkHttpClient;

import java.time.Duration;

/**
 * An OkHttp client with a timeout on every call, and the bounded worker pool its blocking calls run on (never an event
 * loop): created and released together.
 */
record BlockingHttp(OkHttpClient client, WorkerExecutor executor) {

  /** A plain builder: web3j's own adds a logging interceptor that would print the URL, key included. */
  static BlockingHttp create(Vertx vertx, String poolName, int poolSize, long callTimeoutMs) {
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofMillis(callTimeoutMs)).build();
    return new BlockingHttp(client, vertx.createSharedWorkerExecutor(poolName, poolSize));
  }

  void close() {
    executor.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
