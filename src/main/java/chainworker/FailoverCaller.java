package chainworker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import ops.UpstreamCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * Runs blocking RPC calls on a bounded worker pool, never on an event loop, with bounded retries: a failed attempt
 * fails over to the next URL (and stays there: the failing one is likely to fail again), after a backoff that doubles
 * each time. An error answer ({@link RpcErrorException}) is the server's word, so it is asked of each URL at most once.
 * Every failed attempt counts as an upstream error, every move to another URL as a failover. Used from one context.
 *
 * @param <E> a client bound to one URL
 */
final class FailoverCaller<E> {

  private static final Logger log = LoggerFactory.getLogger(FailoverCaller.class);

  /** One blocking attempt against one endpoint. */
  interface Attempt<E, T> {
    T run(E endpoint) throws Exception;
  }

  private final Vertx vertx;
  private final String pluginId;
  private final BlockingHttp http;
  private final List<E> endpoints;
  private final Function<E, Upstream> upstreamOf;
  private final int maxAttempts;
  private final long backoffMs;
  private final UpstreamCounters counters;
  private int preferred;

  FailoverCaller(Vertx vertx, String pluginId, BlockingHttp http, List<E> endpoints, Function<E, Upstream> upstreamOf, int maxAttempts, long backoffMs,
                 UpstreamCounters counters) {
    this.vertx = vertx;
    this.pluginId = pluginId;
    this.http = http;
    this.endpoints = endpoints;
    this.upstreamOf = upstreamOf;
    this.maxAttempts = maxAttempts;
    this.backoffMs = backoffMs;
    this.counters = counters;
  }

  <T> Future<T> call(String method, Attempt<E, T> attempt) {
    Promise<T> result = Promise.promise();
    run(method, attempt, 1, 0, result);
    return result.future();
  }

  private <T> void run(String method, Attempt<E, T> attempt, int attemptNumber, int errorAnswers, Promise<T> result) {
    int index = preferred;
    E endpoint = endpoints.get(index);
    Upstream upstream = upstreamOf.apply(endpoint);
    http.<T>execute(() -> attempt.run(endpoint)).onComplete(outcome -> {
      if (outcome.succeeded()) {
        result.complete(outcome.result());
        return;
      }
      boolean answered = outcome.cause() instanceof RpcErrorException;
      Throwable failure = answered ? outcome.cause() : unreachable(method, upstream, outcome.cause());
      counters.error();
      if (index == preferred && endpoints.size() > 1) {
        preferred = (index + 1) % endpoints.size();
        counters.reconnect();
      }
      int answers = answered ? errorAnswers + 1 : errorAnswers;
      log.atDebug().addKeyValue("pluginId", pluginId).addKeyValue("method", method).addKeyValue("url", upstream.label())
        .addKeyValue("attempt", attemptNumber)
        .addKeyValue("error", upstream.redact(String.valueOf(failure))).log("upstream attempt failed");
      if (attemptNumber >= maxAttempts || answers >= endpoints.size()) {
        result.fail(failure);
      } else {
        vertx.setTimer(backoffMs << (attemptNumber - 1), id -> run(method, attempt, attemptNumber + 1, answers, result));
      }
    });
  }

  /** A transport failure, described without anything that could carry the URL's key. */
  private static VertxException unreachable(String method, Upstream upstream, Throwable cause) {
    return new VertxException(method + " via " + upstream + " failed: " + upstream.redact(String.valueOf(cause)), true);
  }
}
