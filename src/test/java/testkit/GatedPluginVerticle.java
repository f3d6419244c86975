package testkit;

import api.ResultCode;
import api.plugin.Chain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import plugins.host.PluginVerticle;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plugin instance of pluginId {@code gated} whose checkpoint scans never answer while {@code hang} is set in its
 * config, so that a test can hold a subscribe in flight at an instance (and then stop it); otherwise every scan answers
 * 1 at once. Any non-empty address is valid. {@code normalizeMs} makes each address cost that much of the plugin's
 * event loop (busy, as CPU work would), so that requests queue up at the instance.
 */
public final class GatedPluginVerticle extends PluginVerticle {

  public static final String PLUGIN_ID = "gated";
  /** Scans started by any instance of this JVM. */
  public static final AtomicInteger SCANS = new AtomicInteger();
  /** With {@code normalizeMs}: the addresses normalized, in the order the instances served them. */
  public static final Queue<String> NORMALIZED = new ConcurrentLinkedQueue<>();

  @Override
  protected List<Chain> createChains(JsonObject config) {
    boolean hang = config.getBoolean("hang", false);
    long normalizeNanos = config.getLong("normalizeMs", 0L) * 1_000_000;
    return List.of(new Chain() {
      @Override
      public String pluginId() {
        return PLUGIN_ID;
      }

      @Override
      public String normalize(String address) {
        long until = System.nanoTime() + normalizeNanos;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        if (normalizeNanos > 0) {
          NORMALIZED.add(address);
        }
        return address.isEmpty() ? null : address;
      }

      @Override
      public Future<Integer> scan(String normalizedAddress, String checkpoint) {
        SCANS.incrementAndGet();
        return hang ? io.vertx.core.Promise.<Integer>promise().future() : Future.succeededFuture(ResultCode.UNCHANGED);
      }

      @Override
      public void watch(String normalizedAddress) {
      }

      @Override
      public void unwatch(String normalizedAddress) {
      }
    });
  }
}
