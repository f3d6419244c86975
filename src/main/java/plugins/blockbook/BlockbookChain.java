package plugins.blockbook;

import api.Redact;
import api.ResultCode;
import api.plugin.ActivitySink;
import api.plugin.Chain;
import api.plugin.ChainStatus;
import api.plugin.Checkpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import ops.UpstreamCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import plugins.blockbook.address.AddressNormalizer;
import plugins.blockbook.address.AddressParams;
import plugins.blockbook.upstream.BlockbookException;
import plugins.blockbook.upstream.Connector;
import plugins.blockbook.upstream.ScanConnections;
import plugins.blockbook.upstream.UpstreamLink;
import support.Backoff;

import java.util.List;

/**
 * One UTXO chain served through Blockbook: addresses are watched with {@code subscribeAddresses} (mempool →
 * activity without height, confirmation → activity at its height), the tip is followed with {@code subscribeNewBlock},
 * and checkpoint scans ask {@code getAccountInfo} for anything from the block after the checkpoint on.
 */
public final class BlockbookChain implements Chain, AddressEvents {

  private static final Logger log = LoggerFactory.getLogger(BlockbookChain.class);
  /**
   * Largest message taken from Blockbook. Its own 4 MiB cap (v0.6.0 on) is on what it receives, not what it sends: a
   * notification of a big transaction, its hex included, can be larger, and a message over this cap is dropped by the
   * client whole (the update with it). 64 MiB bounds what a broken upstream can make one connection buffer.
   */
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
  /** Blockbook allows 128 connections per IP from v0.6.0 on; the client's per-host default (50) would be hit first. */
  private static final int MAX_CONNECTIONS = 128;

  private final Vertx vertx;
  private final ChainSettings settings;
  private final AddressNormalizer normalizer;
  private final PendingTxs pending;
  /** Whether the last pending transaction seen found {@link #pending} full (logged once per episode). */
  private boolean pendingFull;
  private final UpstreamCounters counters = new UpstreamCounters();
  private ActivitySink sink;
  private WebSocketClient client;
  private ScanConnections scans;
  private AddressPool addresses;
  private BlockFollower blocks;
  /** The last tip handled (pending transactions checked against it); volatile for {@link #status()}. */
  private volatile long lastHeight = -1;

  BlockbookChain(Vertx vertx, ChainSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.normalizer = new AddressNormalizer(AddressParams.of(settings.pluginId(), settings.network()));
    this.pending = new PendingTxs(settings.maxPendingTxs());
  }

  @Override
  public String pluginId() {
    return settings.pluginId();
  }

  /** Starts following the chain without waiting for the upstream: until it comes, scans answer 2. */
  @Override
  public Future<Void> start(ActivitySink sink) {
    this.sink = sink;
    client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setMaxMessageSize(MAX_MESSAGE_BYTES)
      .setMaxFrameSize(MAX_MESSAGE_BYTES)
      .setMaxConnections(MAX_CONNECTIONS));
    Connector connector = new Connector(vertx, client, settings.urls(), settings.socket(), settings.connectAttemptsPerMinute());
    UpstreamLink.Factory links = (role, owner) -> new UpstreamLink(vertx, connector, backoff(), role, owner, counters);
    scans = new ScanConnections(connector, backoff(), settings.maxDescriptorsPerScanConnection(), pluginId() + "/scans");
    addresses = new AddressPool(vertx, links, pluginId(), settings.maxAddressesPerConnection(), settings.newBlockTxs(), settings.lostAfterMs(), this,
      this::backoff);
    blocks = new BlockFollower(links, pluginId(), this::newBlock);
    blocks.start();
    log.atInfo().addKeyValue("pluginId", pluginId()).addKeyValue("network", settings.network()).addKeyValue("urls", String.valueOf(settings.urls()))
      .log("chain started");
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    blocks.stop();
    addresses.stop();
    scans.stop();
    return client.close();
  }

  /** Errors and reconnects are those of the block and address connections; scan connections come and go by design. */
  @Override
  public ChainStatus status() {
    // Also asked before start, when the endpoint registers its meters: no tip yet, and not up.
    BlockFollower follower = blocks;
    long tip = follower == null ? -1 : follower.tip();
    boolean up = follower != null && follower.up();
    return new ChainStatus(tip, lastHeight, up, counters.errors(), counters.reconnects());
  }

  @Override
  public String normalize(String address) {
    return normalizer.normalize(address);
  }

  /**
   * Scans once the address's subscription is acknowledged, so that nothing falls between the scan and the watch; with
   * no checkpoint, answers 2 once acknowledged. An address the server refused answers 0 (the hub then releases it);
   * any other failure (upstream down, timeout, error) answers 2.
   */
  @Override
  public Future<Integer> scan(String normalizedAddress, String checkpoint) {
    Long after = Checkpoints.height(checkpoint);
    Future<Integer> scanned = after == null
      ? addresses.synced(normalizedAddress).map(ResultCode.CHANGED)
      : addresses.synced(normalizedAddress)
        .compose(v -> activitySince(normalizedAddress, after + 1))
        .map(activity -> activity.any() ? ResultCode.CHANGED : ResultCode.UNCHANGED);
    return scanned.otherwise(failure -> failure instanceof AddressPool.Refused ? ResultCode.FAILED : ResultCode.CHANGED);
  }

  @Override
  public void watch(String normalizedAddress) {
    addresses.watch(normalizedAddress);
  }

  @Override
  public void unwatch(String normalizedAddress) {
    addresses.unwatch(normalizedAddress);
  }

  /** A mempool tx (blockHeight ≤ 0; its confirmations are 0, not negative) or one confirmed at its height. */
  @Override
  public void addressTx(String address, JsonObject tx) {
    String normalized = normalize(address);
    String txid = tx.getString("txid");
    if (normalized == null || txid == null) {
      return;
    }
    long height = tx.getLong("blockHeight", -1L);
    if (height > 0) {
      // Notified per address: the transaction's other addresses stay pending until theirs comes or the block check.
      pending.remove(txid, normalized);
      sink.activity(normalized, Long.toString(height));
    } else {
      // Tracked whatever the server's version: confirmed notifications (newBlockTxs, v0.6.0 on) are best effort, and
      // older servers send none. The first of the two to see it mined reports it; the other finds nothing pending.
      track(txid, normalized);
      sink.activity(normalized, null);
    }
  }

  /** Reports what happened to the addresses while their connection was down: mempool without height, blocks at the tip. */
  @Override
  public void resumed(List<String> watched, long lastHeightBefore) {
    log.atInfo().addKeyValue("pluginId", pluginId()).addKeyValue("addresses", watched.size()).addKeyValue("fromHeight", lastHeightBefore + 1)
      .log("addresses resumed: scanning what happened while down");
    for (String address : watched) {
      if (lastHeightBefore < 0) {
        sink.activity(address, null);
        continue;
      }
      activitySince(address, lastHeightBefore + 1).onComplete(result -> {
        if (result.failed()) {
          // Unknown is reported as changed: a duplicate costs one re-sync, a miss loses a payment.
          sink.activity(address, null);
        } else if (result.result().mempool()) {
          sink.activity(address, null);
        } else if (result.result().any()) {
          sink.activity(address, Long.toString(Math.max(lastHeight, lastHeightBefore + 1)));
        }
      });
    }
  }

  @Override
  public void lost(List<String> watched) {
    watched.forEach(sink::lost);
  }

  @Override
  public long lastHeight() {
    return lastHeight;
  }

  private void track(String txid, String address) {
    boolean kept = pending.add(txid, address);
    if (!kept && !pendingFull) {
      pendingFull = true;
      log.atWarn().addKeyValue("pluginId", pluginId()).addKeyValue("maxPendingTxs", settings.maxPendingTxs())
        .log("pending transactions at maxPendingTxs: newer ones rely on the server's confirmed notifications");
    } else if (kept && pendingFull) {
      pendingFull = false;
      log.atInfo().addKeyValue("pluginId", pluginId()).log("pending transactions tracked again");
    }
  }

  private void newBlock(long height) {
    lastHeight = height;
    pending.txids().forEach(txid -> confirmIfMined(txid, height));
  }

  private void confirmIfMined(String txid, long tip) {
    scans.request("getTransaction", new JsonObject().put("txid", txid)).onComplete(result -> {
      if (result.succeeded()) {
        long height = result.result().getLong("blockHeight", -1L);
        if (height > 0) {
          pending.remove(txid).forEach(address -> sink.activity(address, Long.toString(height)));
        }
      } else if (result.cause() instanceof BlockbookException e && e.kind() == BlockbookException.Kind.SERVER_ERROR
        && e.getMessage().endsWith("' not found")) {
        // "Transaction '<txid>' not found": Blockbook no longer knows it, dropped from the mempool (a replacement is
        // notified on its own). The same text followed by " (<cause>)" is a backend failure: it stays pending.
        pending.remove(txid);
      } else {
        log.atDebug().addKeyValue("pluginId", pluginId()).addKeyValue("height", tip).addKeyValue("error", result.cause().toString())
          .log("could not check a pending transaction");
      }
    });
  }

  /** Transactions of the address from block {@code fromHeight} on (Blockbook's {@code from} is inclusive), mempool included. */
  private Future<AccountActivity> activitySince(String address, long fromHeight) {
    JsonObject params = new JsonObject().put("descriptor", address).put("details", "txids").put("from", fromHeight).put("pageSize", 1);
    return scans.accountInfo(params).map(info -> {
      JsonArray txids = info.getJsonArray("txids");
      boolean mempool = info.getInteger("unconfirmedTxs", 0) > 0;
      return new AccountActivity(mempool, mempool || txids != null && !txids.isEmpty());
    }).onFailure(e -> log.atDebug().addKeyValue("pluginId", pluginId()).addKeyValue("address", Redact.address(address))
      .addKeyValue("fromHeight", fromHeight).addKeyValue("error", e.toString()).log("upstream scan failed"));
  }

  private Backoff backoff() {
    return new Backoff(settings.reconnectMinMs(), settings.reconnectMaxMs(), true);
  }


  /** What {@code getAccountInfo} found from a height on: mempool transactions, and whether anything at all. */
  private record AccountActivity(boolean mempool, boolean any) {
  }
}
