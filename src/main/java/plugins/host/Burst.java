package plugins.host;

import api.BurstRequest;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** One benchmark burst (see {@link BurstRequest}): timestamped activity at a steady rate, in 10 ms ticks. */
final class Burst {

  private static final long TICK_MS = 10;

  private Burst() {
  }

  /** Wall-clock time in microseconds; the receiving load tool reads the same clock. */
  static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Starts the burst on the caller's context; returns how many emissions it will make. */
  static long start(Vertx vertx, BurstRequest request, List<String> addresses, BiConsumer<String, String> emit) {
    long rate = request.onceEach() ? Math.max(1, addresses.size() * 1000L / Math.max(1, request.durationMs())) : request.rate();
    if (addresses.isEmpty() || rate <= 0 || request.durationMs() <= 0) {
      return 0;
    }
    long total = request.onceEach() ? addresses.size() : rate * request.durationMs() / 1000;
    long startNanos = System.nanoTime();
    long[] emitted = {0};
    vertx.setPeriodic(TICK_MS, timer -> {
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      long due = Math.min(total, rate * elapsedMs / 1000);
      for (; emitted[0] < due; emitted[0]++) {
        emit.accept(addresses.get((int) (emitted[0] % addresses.size())), String.valueOf(epochMicros()));
      }
      if (emitted[0] >= total) {
        vertx.cancelTimer(timer);
      }
    });
    return total;
  }
}
