package hub.routing;

import api.BusAddresses;
import api.InstanceState;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One plugin instance as a hub knows it from its announcements. Equal by instanceId: the directory keeps one live object
 * per instanceId, and what a subscription remembers is resolved to it ({@link PluginDirectory#alive}). {@link #untilDeparture} fails a request when
 * the instance leaves (its member left the cluster, it announced it is gone, or it stopped answering), so that requests still
 * waiting on it are sent elsewhere at once instead of waiting for their timeout.
 */
public final class PluginInstance {

  private final String instanceId;
  private final String nodeId;
  private final String host;
  private final List<String> pluginIds;
  private final long seed;
  /** Requests waiting for this instance's answer, failed at once if it leaves. */
  private final Set<Promise<?>> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
  private volatile InstanceState state;
  private int noHandlerStrikes;

  PluginInstance(String instanceId, String nodeId, String host, List<String> pluginIds, InstanceState state) {
    this.instanceId = instanceId;
    this.nodeId = nodeId;
    this.host = host;
    this.pluginIds = List.copyOf(pluginIds);
    this.state = state;
    this.seed = Rendezvous.seed(instanceId);
  }

  public String instanceId() {
    return instanceId;
  }

  public String nodeId() {
    return nodeId;
  }

  public String host() {
    return host;
  }

  public List<String> pluginIds() {
    return pluginIds;
  }

  public InstanceState state() {
    return state;
  }

  /** Serving and taking new addresses. */
  public boolean isUp() {
    return state == InstanceState.UP;
  }

  /** Still holds what it was given (up or draining). */
  public boolean isAlive() {
    return state != InstanceState.GONE;
  }

  long seed() {
    return seed;
  }

  String address(String pluginId) {
    return BusAddresses.plugin(pluginId, instanceId);
  }

  /**
   * The reply, or a failure with {@link InstanceDeparted} as soon as the instance leaves, whichever comes first. Called
   * on the context that owns this object, like {@link #depart}.
   */
  <T> Future<T> untilDeparture(Future<T> reply) {
    if (state == InstanceState.GONE) {
      return Future.failedFuture(new InstanceDeparted(instanceId));
    }
    Promise<T> result = Promise.promise();
    waiting.add(result);
    reply.onComplete(done -> {
      waiting.remove(result);
      if (done.succeeded()) {
        result.tryComplete(done.result());
      } else {
        result.tryFail(done.cause());
      }
    });
    return result.future();
  }

  /** One more request in a row that found nobody listening; returns how many. */
  int strike() {
    return ++noHandlerStrikes;
  }

  void clearStrikes() {
    noHandlerStrikes = 0;
  }

  void state(InstanceState state) {
    this.state = state;
  }

  void depart() {
    state = InstanceState.GONE;
    List<Promise<?>> failed = new ArrayList<>(waiting);
    waiting.clear();
    failed.forEach(promise -> promise.tryFail(new InstanceDeparted(instanceId)));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PluginInstance instance && instance.instanceId.equals(instanceId);
  }

  @Override
  public int hashCode() {
    return instanceId.hashCode();
  }

  @Override
  public String toString() {
    return instanceId + "@" + host + "(" + state.wireName() + ")";
  }

  /** The instance a request was sent to left before answering: the request is worth sending to the new owner. */
  public static final class InstanceDeparted extends RuntimeException {
    InstanceDeparted(String instanceId) {
      super("plugin instance " + instanceId + " left", null, false, false);
    }
  }
}
