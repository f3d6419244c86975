package api.plugin;

import io.vertx.core.Future;

/**
 * What a plugin knows about one chain (one pluginId); everything else — the bus contract, reference counting,
 * routing events to connections — is {@code plugins.host.ChainEndpoint}'s. All methods are called on the plugin verticle's
 * context, and the chain calls its {@link ActivitySink} on that same context.
 */
public interface Chain {

  String pluginId();

  /** Called once before the first request, with the sink this chain reports activity to. */
  default Future<Void> start(ActivitySink sink) {
    return Future.succeededFuture();
  }

  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** The form used to match activity (e.g. lowercase hex), or null when the address is not valid on this chain. */
  String normalize(String address);

  /**
   * Whether the address had activity strictly after {@code checkpoint} (null: unknown), as
   * {@link api.ResultCode#UNCHANGED} or {@link api.ResultCode#CHANGED}. When unsure, answer CHANGED.
   */
  Future<Integer> scan(String normalizedAddress, String checkpoint);

  /** Start watching upstream: the address got its first subscriber. */
  void watch(String normalizedAddress);

  /**
   * Start watching upstream an address handed over by another live instance of this pluginId (a hub moved it here):
   * its subscribers already know its state up to their checkpoints, the scan of the same request reports anything
   * after them, and the other instance {@link #release releases} what it had pending. Only a chain that invents
   * activity on a first watch (the fake) differs from {@link #watch}.
   */
  default void adopt(String normalizedAddress) {
    watch(normalizedAddress);
  }

  /**
   * A subscriber of the address here is being handed over to another instance, which has it already: report now any
   * activity this chain knows of and has not reported yet (the fake's pending update), to every subscriber still here.
   * {@link #unwatch} follows if it was the last.
   */
  default void release(String normalizedAddress) {
  }

  /** Stop watching upstream: the address lost its last subscriber. */
  void unwatch(String normalizedAddress);

  /**
   * Where the chain stands against its upstream. Unlike the other methods, also called from the thread that serves
   * {@code /metrics}: implementations read fields that are safe to read from any thread, and stay cheap.
   */
  default ChainStatus status() {
    return ChainStatus.NO_UPSTREAM;
  }
}
