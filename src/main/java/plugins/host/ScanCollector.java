package plugins.host;

import api.SubscribeReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/** Puts scan answers into their request positions and completes when the last one is in (no future per address list). */
final class ScanCollector {

  private final int[] results;
  private final Promise<SubscribeReply> done = Promise.promise();
  private int outstanding = 1;

  ScanCollector(int[] results) {
    this.results = results;
  }

  void expect(int index, Future<Integer> scan) {
    if (scan.succeeded()) {
      results[index] = scan.result();
      return;
    }
    outstanding++;
    scan.onComplete(result -> {
      results[index] = result.result();
      arrived();
    });
  }

  Future<SubscribeReply> done() {
    arrived();
    return done.future();
  }

  private void arrived() {
    if (--outstanding == 0) {
      done.complete(new SubscribeReply(results));
    }
  }
}
