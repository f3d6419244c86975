package hub;

import api.BusAddresses;
import api.BusCodecs;
import api.ChangeEvent;
import api.EventBatch;
import api.NodeIds;
import api.Redact;
import hub.routing.BusPluginClient;
import hub.routing.PluginDirectory;
import hub.routing.PluginRouter;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The WebSocket server and the only speaker of the client protocol. Receives event batches for its sockets on one
 * clustered address per hub node and hands each event to its socket through a JVM-local address; routes each
 * subscription to the plugin instance that owns it and moves subscriptions when instances come and go. Config: the {@code hub} section, see {@link HubSettings}.
 */
public final class HubVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HubVerticle.class);
  private static final int FLUSH_AFTER_WRITES = 256;

  private final Set<ClientSession> sessions = new HashSet<>();
  private HttpServer server;
  private MessageConsumer<EventBatch> inbox;
  private PluginDirectory directory;
  private long keepAliveTimer;
  private TlsReloader tls;

  @Override
  public Future<?> start() {
    HubSettings settings = HubSettings.fromJson(config());
    String nodeId = NodeIds.of(vertx);
    HubStats stats = HubStats.of(vertx);
    Rebalancer rebalancer = new Rebalancer(vertx, settings.moveConcurrency());
    settings.knownPluginIds().forEach(stats::served);
    directory = new PluginDirectory(vertx, settings.knownPluginIds(), settings.discoveryMs(), settings.startupWaitMs(), pluginId -> {
      stats.served(pluginId);
      rebalancer.viewChanged(pluginId, sessions);
    });
    PluginRouter plugins = new PluginRouter(vertx, directory, new BusPluginClient(vertx, settings.busTimeoutMs(), settings.busBatchSize()),
      settings.pluginWaitMs());
    BusCodecs.register(vertx);
    BusCodecs.registerDefault(vertx, ConnectionEvents.class, new LocalEventCodec());
    inbox = vertx.eventBus().consumer(BusAddresses.hub(nodeId), this::deliver);
    HubLimits limits = settings.limits();
    ClientAddresses clients = ClientAddresses.of(vertx, settings.trustedProxies(), limits);
    tls = settings.tls() == null ? null : new TlsReloader(vertx, settings.tls());
    HubDrain.of(vertx).register(context, () -> new ArrayList<>(sessions), settings.drainDelayMs(), settings.drainMs());
    keepAliveTimer = vertx.setPeriodic(limits.pingIntervalMs(), id -> new ArrayList<>(sessions).forEach(ClientSession::keepAlive));
    return Future.all(inbox.completion(), directory.start())
      .compose(v -> tls == null ? Future.<ServerCertificate>succeededFuture() : tls.load())
      .compose(certificate -> {
        server = vertx.createHttpServer(ClientListenerOptions.of(settings, certificate))
          .webSocketHandler(socket -> accept(socket, nodeId, plugins, rebalancer, stats, limits, clients));
        return server.listen();
      })
      .onSuccess(s -> {
        if (tls != null) {
          tls.watch(s);
        }
        log.atInfo().addKeyValue("host", settings.host()).addKeyValue("port", s.actualPort()).addKeyValue("tls", tls != null)
          .addKeyValue("proxyProtocol", settings.proxyProtocol()).addKeyValue("nodeId", nodeId).log("hub listening");
      });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(keepAliveTimer);
    if (tls != null) {
      tls.stop();
    }
    List<Future<Void>> closing = new ArrayList<>();
    for (ClientSession session : new ArrayList<>(sessions)) {
      closing.add(session.close(CloseReason.SHUTDOWN));
    }
    return Future.join(closing)
      .eventually(() -> server.close())
      .eventually(() -> directory.stop())
      .eventually(() -> inbox.unregister());
  }

  private void accept(ServerWebSocket socket, String nodeId, PluginRouter plugins, Rebalancer rebalancer, HubStats stats,
                      HubLimits limits, ClientAddresses clients) {
    if (HubDrain.of(vertx).closing()) {
      // This hub is restarting: the wallet's reconnect, 5 s from now, goes to a hub that stays.
      stats.closed(CloseReason.DRAIN);
      socket.close(CloseReason.DRAIN.status(), CloseReason.DRAIN.text());
      return;
    }
    String address = clients.clientOf(socket);
    ClientAddresses.Client client = clients.tryOpen(address);
    if (client == null) {
      CloseReason reason = CloseReason.CONNECTION_BUDGET;
      stats.closed(reason);
      log.atInfo().addKeyValue("reason", reason.tag()).addKeyValue("client", Redact.client(address))
        .addKeyValue("limit", limits.maxConnectionsPerIp()).log("refusing connection");
      socket.close(reason.status(), reason.text());
      return;
    }
    consolidateFlushes(socket);
    ClientSession session = new ClientSession(vertx, socket, NodeIds.newConnectionId(nodeId, client.serial()), client, plugins, rebalancer, stats, limits);
    sessions.add(session);
    session.start(() -> {
      sessions.remove(session);
      clients.close(client);
    });
  }

  /**
   * Fans a batch out to the sockets' local addresses, one publish per socket; events for sockets already gone find no
   * handler and vanish.
   */
  private void deliver(Message<EventBatch> batch) {
    Map<String, List<ChangeEvent>> byConnection = new LinkedHashMap<>();
    for (ChangeEvent event : batch.body().events()) {
      byConnection.computeIfAbsent(event.connectionId(), id -> new ArrayList<>(4)).add(event);
    }
    byConnection.forEach((connectionId, events) ->
      vertx.eventBus().publish(BusAddresses.connection(connectionId), new ConnectionEvents(events)));
  }

  /**
   * Vert.x flushes each write made outside a read of that socket: one system call per notification, which capped
   * delivery (docs/BENCHMARKS.md). Netty's handler defers those flushes to the end of the event loop's current task (or
   * every {@value #FLUSH_AFTER_WRITES} writes), so a batch of updates for a socket leaves in one write.
   */
  private static void consolidateFlushes(ServerWebSocket socket) {
    if (socket instanceof WebSocketInternal internal) {
      internal.channelHandlerContext().pipeline().addFirst(new FlushConsolidationHandler(FLUSH_AFTER_WRITES, true));
    }
  }
}
