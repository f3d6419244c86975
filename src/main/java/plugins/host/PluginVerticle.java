package plugins.host;

import api.plugin.Chain;
import api.BusAddresses;
import api.BusCodecs;
import api.InstanceState;
import api.MemberChange;
import api.NodeIds;
import api.PluginAnnouncement;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Base of every plugin and chain-worker verticle: one plugin instance. Serves each of its chains on the instance's own
 * bus address, announces itself once all are ready (again every {@code announceIntervalMs}, when asked, and when a
 * member joins), and on undeploy drains: it announces {@code draining}, keeps serving while hubs move its addresses
 * to the other instances, and stops once it holds nothing, no other instance can take them, or {@code drainMs} passed.
 * A subclass supplies only its chains. Config keys read here: {@code scanTimeoutMs}, {@code eventBatchSize},
 * {@code eventFlushDelayMs}, {@code announceIntervalMs}, {@code drainMs}.
 */
public abstract class PluginVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PluginVerticle.class);
  private static final long DRAIN_POLL_MS = 100;
  /** How long a stopping instance waits for its last events to be written to the bus. */
  private static final long LAST_EVENTS_MS = 2_000;
  /** A member that just joined may not listen yet: announce to it a moment later (the periodic one would, later). */
  private static final long JOIN_ANNOUNCE_DELAY_MS = 1_000;

  private final String instanceId = UUID.randomUUID().toString();
  private final List<ChainEndpoint> endpoints = new ArrayList<>();
  private final PeerInstances peers = new PeerInstances(instanceId);
  private HubEventSender events;
  private InstanceState state;
  private long announceTimer = -1;
  private boolean announcedOnce;

  /** The chains this plugin serves, built from its config. */
  protected abstract List<Chain> createChains(JsonObject config);

  @Override
  public Future<?> start() {
    JsonObject config = config();
    BusCodecs.register(vertx);
    events = new HubEventSender(vertx, config.getInteger("eventBatchSize", 100), config.getLong("eventFlushDelayMs", 5L));
    long scanTimeoutMs = config.getLong("scanTimeoutMs", 10_000L);
    List<Future<Void>> started = new ArrayList<>();
    for (Chain chain : createChains(config)) {
      ChainEndpoint endpoint = new ChainEndpoint(vertx, chain, events, scanTimeoutMs, instanceId);
      endpoints.add(endpoint);
      started.add(endpoint.start());
    }
    // A hub that starts asks who is there; other instances' announcements tell a drain whether anyone can take over.
    started.add(vertx.eventBus().consumer(BusAddresses.ANNOUNCE_REQUEST, request -> announceIfServing()).completion());
    started.add(vertx.eventBus().<PluginAnnouncement>consumer(BusAddresses.ANNOUNCE, message -> peers.announced(message.body())).completion());
    vertx.eventBus().<MemberChange>localConsumer(BusAddresses.MEMBERS, message -> memberChanged(message.body()));
    return Future.all(started).onSuccess(v -> {
      state = InstanceState.UP;
      announce();
      announceTimer = vertx.setPeriodic(config.getLong("announceIntervalMs", 5_000L), id -> announceIfServing());
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(announceTimer);
    if (state == null) {
      return stopEndpoints();
    }
    state = InstanceState.DRAINING;
    announce();
    return drained(config().getLong("drainMs", 5_000L)).eventually(() -> {
      state = InstanceState.GONE;
      announce();
      return stopEndpoints();
    });
  }

  /** Stops the chains once the events they fired last have left this JVM (or {@value #LAST_EVENTS_MS} ms passed). */
  private Future<Void> stopEndpoints() {
    Future<Void> written = events == null ? Future.succeededFuture()
      : events.flushWritten().timeout(LAST_EVENTS_MS, TimeUnit.MILLISECONDS).recover(timedOut -> Future.succeededFuture());
    return written.compose(v -> Future.join(endpoints.stream().map(ChainEndpoint::stop).toList())).mapEmpty();
  }

  /** Completes once this instance holds nothing that another instance could take over, or after {@code drainMs}. */
  private Future<Void> drained(long drainMs) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + drainMs * 1_000_000;
    long startNanos = System.nanoTime();
    vertx.setPeriodic(1, DRAIN_POLL_MS, timer -> {
      boolean timedOut = System.nanoTime() - deadline >= 0;
      if (nothingToHandOver() || timedOut) {
        vertx.cancelTimer(timer);
        // In this same task: a subscribe accepted after the check would be handed over by no one.
        endpoints.forEach(ChainEndpoint::stopServing);
        log.atInfo().addKeyValue("instanceId", instanceId).addKeyValue("ms", (System.nanoTime() - startNanos) / 1_000_000)
          .addKeyValue("complete", !timedOut || nothingToHandOver()).log("plugin drained");
        done.tryComplete();
      }
    });
    return done.future();
  }

  /** True when every pluginId this instance still holds subscriptions of has no other instance up to take them. */
  private boolean nothingToHandOver() {
    return endpoints.stream().allMatch(endpoint -> endpoint.isEmpty() || !peers.anotherIsUp(endpoint.pluginId()));
  }

  private void memberChanged(MemberChange change) {
    if (change.joined()) {
      vertx.setTimer(JOIN_ANNOUNCE_DELAY_MS, id -> announceIfServing());
      return;
    }
    // A hub node that leaves takes its connections with it; a plugin node, its instances.
    endpoints.forEach(endpoint -> endpoint.hubLeft(change.nodeId()));
    peers.nodeLeft(change.nodeId());
  }

  private void announceIfServing() {
    if (state == InstanceState.UP || state == InstanceState.DRAINING) {
      announce();
    }
  }

  private void announce() {
    List<String> pluginIds = endpoints.stream().map(ChainEndpoint::pluginId).toList();
    PluginAnnouncement announcement = new PluginAnnouncement(pluginIds, instanceId, NodeIds.of(vertx), NodeIds.hostOf(vertx), state);
    vertx.eventBus().publish(BusAddresses.ANNOUNCE, announcement);
    if (state != InstanceState.UP || !announcedOnce) {
      announcedOnce = true;
      log.atInfo().addKeyValue("pluginIds", pluginIds).addKeyValue("instanceId", instanceId).addKeyValue("state", state.wireName())
        .log("plugin announced");
    }
  }
}
