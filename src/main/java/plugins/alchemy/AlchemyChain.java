package plugins.alchemy;

import api.Redact;
import api.ResultCode;
import api.plugin.ActivitySink;
import api.plugin.Chain;
import api.plugin.ChainStatus;
import api.plugin.Checkpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One network served through Alchemy: watched addresses are kept on the network's Address Activity webhook
 * ({@link WebhookAddresses}), verified deliveries arrive from any instance's {@link WebhookIngress} over the bus and are
 * reported for the addresses this instance watches, and checkpoint scans ask {@link TransferScanner}. Unkeyed (no auth
 * token) the chain validates addresses and answers 2, and reports its upstream down.
 */
final class AlchemyChain implements Chain {

  private static final Logger log = LoggerFactory.getLogger(AlchemyChain.class);
  private static final Future<Integer> CHANGED = Future.succeededFuture(ResultCode.CHANGED);

  private final Vertx vertx;
  private final AlchemyNetwork network;
  private final WebhookAddresses webhook;
  private final TransferScanner scanner;
  private final RecentIds recent;
  private final Set<String> watched = new HashSet<>();
  /** Addresses released to another instance in the current task: their unwatch must not remove them from the webhook. */
  private final Set<String> released = new HashSet<>();
  private final AtomicLong scanErrors = new AtomicLong();
  private volatile long lastBlock = -1;
  private ActivitySink sink;
  private MessageConsumer<JsonObject> consumer;

  /** {@code webhook} null: unkeyed; {@code scanner} null: no RPC key, or a network without the transfers API. */
  AlchemyChain(Vertx vertx, AlchemyNetwork network, WebhookAddresses webhook, TransferScanner scanner, int recentEventIds) {
    this.vertx = vertx;
    this.network = network;
    this.webhook = webhook;
    this.scanner = scanner;
    this.recent = new RecentIds(recentEventIds);
  }

  @Override
  public String pluginId() {
    return network.pluginId();
  }

  @Override
  public Future<Void> start(ActivitySink sink) {
    this.sink = sink;
    if (webhook == null) {
      log.atWarn().addKeyValue("pluginId", pluginId()).log("no Alchemy auth token: addresses are validated and answered 2, not watched");
      return Future.succeededFuture();
    }
    consumer = vertx.eventBus().consumer(WebhookIngress.busAddress(pluginId()), message -> delivered(message.body()));
    webhook.start();
    return consumer.completion();
  }

  @Override
  public Future<Void> stop() {
    if (webhook != null) {
      webhook.stop();
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  @Override
  public String normalize(String address) {
    return AddressFormat.normalize(address, network.solana());
  }

  /** 1 only when the transfers API says nothing happened after the checkpoint; any doubt is 2. */
  @Override
  public Future<Integer> scan(String normalizedAddress, String checkpoint) {
    Long after = Checkpoints.height(checkpoint);
    if (after == null || scanner == null || webhook == null) {
      return CHANGED;
    }
    return scanner.anySince(normalizedAddress, after + 1)
      .map(any -> any ? ResultCode.CHANGED : ResultCode.UNCHANGED)
      .otherwise(failure -> {
        scanErrors.incrementAndGet();
        log.atDebug().addKeyValue("pluginId", pluginId()).addKeyValue("address", Redact.address(normalizedAddress))
          .addKeyValue("error", failure.toString()).log("transfer scan failed");
        return ResultCode.CHANGED;
      });
  }

  @Override
  public void watch(String normalizedAddress) {
    watched.add(normalizedAddress);
    if (webhook != null) {
      webhook.add(normalizedAddress);
    }
  }

  /**
   * A subscriber is being handed over to another instance (ChainEndpoint calls {@link #unwatch} right after, in the
   * same task, if it was the last here): the address stays on the shared webhook for the new owner.
   */
  @Override
  public void release(String normalizedAddress) {
    if (released.add(normalizedAddress)) {
      vertx.runOnContext(v -> released.remove(normalizedAddress));
    }
  }

  @Override
  public void unwatch(String normalizedAddress) {
    watched.remove(normalizedAddress);
    if (webhook == null) {
      return;
    }
    if (released.contains(normalizedAddress)) {
      webhook.handedOver(normalizedAddress);
    } else {
      webhook.remove(normalizedAddress);
    }
  }

  /** Up while keyed and the Notify API answers; heights are the highest block any delivery carried. */
  @Override
  public ChainStatus status() {
    boolean up = webhook != null && webhook.healthy();
    return new ChainStatus(lastBlock, lastBlock, up, scanErrors.get(), 0);
  }

  private void delivered(JsonObject body) {
    String id = body.getString("id");
    if (id != null && !recent.firstTime(id)) {
      return;
    }
    JsonObject addresses = body.getJsonObject("addresses", new JsonObject());
    for (String address : addresses.fieldNames()) {
      if (!watched.contains(address)) {
        continue;
      }
      long block = addresses.getLong(address, -1L);
      if (block > lastBlock) {
        lastBlock = block;
      }
      sink.activity(address, block < 0 ? null : Long.toString(block));
    }
  }

}
