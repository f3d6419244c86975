package testkit;

import api.ResultCode;
import api.plugin.Chain;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import plugins.host.PluginVerticle;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plugin instance of pluginId {@code gated} whose checkpoint scans never answer while {@code hang} is set in its
 * config, so that a test can hold a subscribe in flight at an instance (and then stop it); otherwise every scan answers
 * 1 at once. Any non-empty address is valid.
 */
public final class GatedPluginVerticle extends PluginVerticle {

  public static final String PLUGIN_ID = "gated";
  /** Scans started by any instance of this JVM. */
  public static final AtomicInteger SCANS = new AtomicInteger();

  @Override
  protected List<Chain> createChains(JsonObject config) {
    boolean hang = config.getBoolean("hang", false);
    return List.of(new Chain() {
      @Override
      public String pluginId() {
        return PLUGIN_ID;
      }

      @Override
      public String normalize(String address) {
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
