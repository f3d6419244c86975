package api.plugin;

import api.BusAddresses;
import api.NodeIds;
import api.NodeLeft;
import api.PluginAnnouncement;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Base of every plugin and chain-worker verticle: serves each of its chains on the bus and announces itself once all
 * are ready. A subclass supplies only its chains. Config keys read here: {@code scanTimeoutMs}, {@code eventBatchSize},
 * {@code eventFlushDelayMs}.
 */
public abstract class PluginVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PluginVerticle.class);

  private final String instanceId = UUID.randomUUID().toString();
  private final List<ChainEndpoint> endpoints = new ArrayList<>();
  private HubEventSender events;
  private boolean ready;

  /** The chains this plugin serves, built from its config. */
  protected abstract List<Chain> createChains(JsonObject config);

  @Override
  public Future<?> start() {
    JsonObject config = config();
    events = new HubEventSender(vertx, config.getInteger("eventBatchSize", 100), config.getLong("eventFlushDelayMs", 5L));
    long scanTimeoutMs = config.getLong("scanTimeoutMs", 10_000L);
    List<Future<Void>> started = new ArrayList<>();
    for (Chain chain : createChains(config)) {
      ChainEndpoint endpoint = new ChainEndpoint(vertx, chain, events, scanTimeoutMs);
      endpoints.add(endpoint);
      started.add(endpoint.start());
    }
    // A hub that starts asks who is there; a hub node that leaves takes its connections with it.
    Future<Void> announceRequests = vertx.eventBus().consumer(BusAddresses.ANNOUNCE_REQUEST, request -> {
      if (ready) {
        announce();
      }
    }).completion();
    vertx.eventBus().<JsonObject>localConsumer(BusAddresses.NODE_LEFT, message -> nodeLeft(NodeLeft.fromJson(message.body())));
    started.add(announceRequests);
    return Future.all(started).onSuccess(v -> {
      ready = true;
      announce();
    });
  }

  @Override
  public Future<?> stop() {
    events.flush();
    return Future.join(endpoints.stream().map(ChainEndpoint::stop).toList());
  }

  private void nodeLeft(NodeLeft left) {
    endpoints.forEach(endpoint -> endpoint.hubLeft(left.nodeId()));
  }

  private void announce() {
    List<String> pluginIds = endpoints.stream().map(ChainEndpoint::pluginId).toList();
    PluginAnnouncement announcement = new PluginAnnouncement(pluginIds, instanceId, NodeIds.of(vertx));
    vertx.eventBus().publish(BusAddresses.ANNOUNCE, announcement.toJson());
    log.atInfo().addKeyValue("pluginIds", pluginIds).addKeyValue("instanceId", instanceId).log("plugin announced");
  }
}
