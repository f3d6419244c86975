package plugins.fake;

import api.ResultCode;
import api.plugin.ActivitySink;
import api.plugin.Chain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;

/**
 * The reference's test double (PROTOCOL.md, "The fake plugin"): every address is valid and unchanged; when an address
 * starts being watched, one update follows after {@code updateDelayMs} for everyone subscribed at that moment. Joining
 * a running watch starts nothing new; the watch and its timer end with the last subscriber.
 */
public final class FakeChain implements Chain {

  public static final String PLUGIN_ID = "fake";
  private static final Future<Integer> UNCHANGED = Future.succeededFuture(ResultCode.UNCHANGED);

  private final Vertx vertx;
  private final long updateDelayMs;
  /** Watched address → its pending timer id, or -1 once the update has fired. */
  private final Map<String, Long> watches = new HashMap<>();
  private ActivitySink sink;

  public FakeChain(Vertx vertx, long updateDelayMs) {
    this.vertx = vertx;
    this.updateDelayMs = updateDelayMs;
  }

  @Override
  public String pluginId() {
    return PLUGIN_ID;
  }

  @Override
  public Future<Void> start(ActivitySink sink) {
    this.sink = sink;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    watches.values().stream().filter(id -> id >= 0).forEach(vertx::cancelTimer);
    watches.clear();
    return Future.succeededFuture();
  }

  @Override
  public String normalize(String address) {
    return address.isEmpty() ? null : address;
  }

  @Override
  public Future<Integer> scan(String normalizedAddress, String checkpoint) {
    return UNCHANGED;
  }

  @Override
  public void watch(String normalizedAddress) {
    long timer = vertx.setTimer(updateDelayMs, id -> {
      watches.put(normalizedAddress, -1L);
      sink.activity(normalizedAddress, null);
    });
    watches.put(normalizedAddress, timer);
  }

  @Override
  public void unwatch(String normalizedAddress) {
    Long timer = watches.remove(normalizedAddress);
    if (timer != null && timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
