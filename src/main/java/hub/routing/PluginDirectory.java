package hub.routing;

import api.BusAddresses;
import api.BusCodecs;
import api.InstanceState;
import api.MemberChange;
import api.PluginAnnouncement;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which plugin instances serve which pluginIds, learnt from their announcements and the cluster's membership events,
 * and which pluginIds the deployment serves at all (configured, or announced at some point): one per hub verticle, on
 * its event loop. A change of a pluginId's instances makes a new {@link PluginView} and tells the listener, which
 * moves the addresses whose owner changed. Callers that need an instance while none is up wait for one
 * ({@link #whenServed}).
 */
public final class PluginDirectory {

  private static final Logger log = LoggerFactory.getLogger(PluginDirectory.class);
  private static final long DEPARTED_MEMORY_NANOS = 10L * 60 * 1_000_000_000;
  /** Requests in a row that found nobody listening before an instance is taken for gone. */
  private static final int NO_HANDLER_STRIKES = 3;

  private final Vertx vertx;
  private final Set<String> known;
  private final long discoveryMs;
  private final long startupWaitMs;
  private final Consumer<String> onViewChanged;
  private final Map<String, PluginInstance> instances = new HashMap<>();
  /** Read by meters from other threads: immutable views in a concurrent map. */
  private final Map<String, PluginView> views = new ConcurrentHashMap<>();
  private final Map<String, List<Promise<PluginView>>> waiters = new HashMap<>();
  /**
   * Members seen leaving, with when: a late announcement from one must not bring its instances back until it rejoins.
   * Forgotten after {@link #DEPARTED_MEMORY_NANOS}: every restart of a supervised JVM is a new member.
   */
  private final Map<String, Long> departedNodes = new LinkedHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long discoveryEndsNanos;
  private long startupEndsNanos;
  private long version;

  /**
   * @param configured    pluginIds served even before any instance announced itself
   * @param discoveryMs   after start, how long an unknown pluginId may still turn out to be served (the answers to this
   *                      hub's announce request are on their way)
   * @param startupWaitMs after start, until when a served pluginId is waited for whatever the caller's own wait: the
   *                      deployment's plugins are starting with this hub
   * @param onViewChanged called with a pluginId whose instances changed
   */
  public PluginDirectory(Vertx vertx, Set<String> configured, long discoveryMs, long startupWaitMs, Consumer<String> onViewChanged) {
    this.vertx = vertx;
    this.known = new HashSet<>(configured);
    this.discoveryMs = discoveryMs;
    this.startupWaitMs = startupWaitMs;
    this.onViewChanged = onViewChanged;
  }

  /** Listens to announcements and membership, then asks every live plugin instance to announce itself. */
  public Future<Void> start() {
    BusCodecs.register(vertx);
    discoveryEndsNanos = System.nanoTime() + discoveryMs * 1_000_000;
    startupEndsNanos = System.nanoTime() + startupWaitMs * 1_000_000;
    MessageConsumer<PluginAnnouncement> announcements = vertx.eventBus().consumer(BusAddresses.ANNOUNCE, message -> announced(message.body()));
    MessageConsumer<MemberChange> members = vertx.eventBus().localConsumer(BusAddresses.MEMBERS, message -> memberChanged(message.body()));
    consumers.add(announcements);
    consumers.add(members);
    return announcements.completion().onSuccess(v -> vertx.eventBus().publish(BusAddresses.ANNOUNCE_REQUEST, new JsonObject()));
  }

  public Future<Void> stop() {
    waiters.values().forEach(list -> list.forEach(waiter -> waiter.tryComplete(null)));
    waiters.clear();
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** Served by the deployment: configured, or announced by some instance since this hub started. */
  public boolean isKnown(String pluginId) {
    return known.contains(pluginId);
  }

  /** Known, or possibly about to be: this hub has just started and is still hearing who is there. */
  public boolean mayServe(String pluginId) {
    return known.contains(pluginId) || System.nanoTime() - discoveryEndsNanos < 0;
  }

  public Set<String> knownPluginIds() {
    return Set.copyOf(known);
  }

  /** The current view of a pluginId (empty when no instance is known). */
  public PluginView view(String pluginId) {
    PluginView view = views.get(pluginId);
    return view != null ? view : new PluginView(pluginId, 0, List.of(), List.of());
  }

  /**
   * The live object for this instance (up or draining), or null when it is gone. By instanceId: an instance dropped
   * and heard from again is a new object, and what was recorded against the old one still belongs to it.
   */
  public PluginInstance alive(PluginInstance instance) {
    PluginInstance current = instance == null ? null : instances.get(instance.instanceId());
    return current != null && current.isAlive() ? current : null;
  }

  /**
   * The view as soon as an instance of the pluginId is up: now, or when one announces itself; null after
   * {@code waitMs} (or at the end of the start-up wait, if later), or at once for a pluginId the deployment does not
   * serve (once discovery is over).
   */
  public Future<PluginView> whenServed(String pluginId, long waitMs) {
    PluginView view = view(pluginId);
    if (view.served()) {
      return Future.succeededFuture(view);
    }
    long now = System.nanoTime();
    long remaining = known.contains(pluginId) ? Math.max(waitMs, (startupEndsNanos - now) / 1_000_000) : (discoveryEndsNanos - now) / 1_000_000;
    if (remaining <= 0) {
      return Future.succeededFuture(null);
    }
    Promise<PluginView> waiter = Promise.promise();
    waiters.computeIfAbsent(pluginId, p -> new ArrayList<>()).add(waiter);
    long timer = vertx.setTimer(remaining, id -> {
      List<Promise<PluginView>> list = waiters.get(pluginId);
      if (list != null && list.remove(waiter) && list.isEmpty()) {
        waiters.remove(pluginId);
      }
      waiter.tryComplete(null);
    });
    return waiter.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  /**
   * A request to this instance found nobody listening. Once in a while that is a registration still spreading through
   * the cluster; {@value #NO_HANDLER_STRIKES} times in a row, the instance is gone even if no announcement or
   * membership event said so (a stopped verticle, a route to a dead member).
   */
  public void nobodyListening(PluginInstance instance) {
    PluginInstance current = alive(instance);
    if (current != null && current.strike() >= NO_HANDLER_STRIKES) {
      log.atWarn().addKeyValue("instanceId", current.instanceId()).addKeyValue("host", current.host()).log("plugin instance unreachable");
      remove(current);
    }
  }

  /** A request to this instance was answered: it is listening. */
  public void answered(PluginInstance instance) {
    instance.clearStrikes();
  }

  private void announced(PluginAnnouncement announcement) {
    if (departedNodes.containsKey(announcement.nodeId())) {
      return;
    }
    PluginInstance current = instances.get(announcement.instanceId());
    if (announcement.state() == InstanceState.GONE) {
      if (current != null) {
        remove(current);
      }
      return;
    }
    if (current == null) {
      PluginInstance added = new PluginInstance(announcement.instanceId(), announcement.nodeId(), announcement.host(),
        announcement.pluginIds(), announcement.state());
      instances.put(added.instanceId(), added);
      log.atInfo().addKeyValue("instanceId", added.instanceId()).addKeyValue("host", added.host())
        .addKeyValue("pluginIds", added.pluginIds()).addKeyValue("state", added.state().wireName()).log("plugin instance joined");
      changed(added.pluginIds());
    } else if (current.state() != announcement.state()) {
      current.state(announcement.state());
      log.atInfo().addKeyValue("instanceId", current.instanceId()).addKeyValue("host", current.host())
        .addKeyValue("state", current.state().wireName()).log("plugin instance changed state");
      changed(current.pluginIds());
    }
  }

  private void memberChanged(MemberChange change) {
    if (change.joined()) {
      departedNodes.remove(change.nodeId());
      return;
    }
    long now = System.nanoTime();
    departedNodes.values().removeIf(leftAt -> now - leftAt > DEPARTED_MEMORY_NANOS);
    departedNodes.put(change.nodeId(), now);
    for (PluginInstance instance : new ArrayList<>(instances.values())) {
      if (instance.nodeId().equals(change.nodeId())) {
        remove(instance);
      }
    }
  }

  /**
   * The new views first, then the requests still waiting on the instance fail: they are re-routed at once, and must
   * find the instance gone from the view (else they would pick it again).
   */
  private void remove(PluginInstance instance) {
    instances.remove(instance.instanceId());
    log.atInfo().addKeyValue("instanceId", instance.instanceId()).addKeyValue("host", instance.host()).log("plugin instance left");
    changed(instance.pluginIds());
    instance.depart();
  }

  /** New views for these pluginIds, then the waiters that can go on, then the listener (moves). */
  private void changed(List<String> pluginIds) {
    for (String pluginId : pluginIds) {
      known.add(pluginId);
      List<PluginInstance> all = new ArrayList<>();
      List<PluginInstance> up = new ArrayList<>();
      for (PluginInstance instance : instances.values()) {
        if (instance.pluginIds().contains(pluginId)) {
          all.add(instance);
          if (instance.isUp()) {
            up.add(instance);
          }
        }
      }
      PluginView view = new PluginView(pluginId, ++version, List.copyOf(up), List.copyOf(all));
      views.put(pluginId, view);
      if (view.served()) {
        List<Promise<PluginView>> ready = waiters.remove(pluginId);
        if (ready != null) {
          ready.forEach(waiter -> waiter.tryComplete(view));
        }
      }
      onViewChanged.accept(pluginId);
    }
  }


}
