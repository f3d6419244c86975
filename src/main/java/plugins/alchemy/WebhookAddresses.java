package plugins.alchemy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.Backoff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps one network's Address Activity webhook at Alchemy in step with the addresses this instance watches. The webhook
 * is looked up among the team's webhooks (same network, type and URL) before one is created, so a restart finds it
 * again. Changes are debounced ({@code debounceMs}) and sent in batches of at most {@value NotifyApi#MAX_ADDRESSES_PER_CALL}
 * per list, one call at a time; a failed call (429, 5xx, timeout) is retried with backoff. The webhook never holds more
 * than {@code maxAddressesPerWebhook}: addresses over the cap stay unregistered (logged) until room frees up.
 *
 * <p>With {@code pruneInherited} (a single instance of the plugin), the addresses the webhook already held when found
 * are read, and those nobody subscribed again within {@code pruneAfterMs} (the hubs' replay) are removed. With several
 * instances sharing one webhook, an instance removes only what it added itself.
 */
final class WebhookAddresses {

  private static final Logger log = LoggerFactory.getLogger(WebhookAddresses.class);
  private static final int LIST_PAGE = 100;
  private static final long REDISCOVER_MS = 30_000;

  private final Vertx vertx;
  private final NotifyApi api;
  private final AlchemyNetwork network;
  private final String url;
  private final long debounceMs;
  private final int maxAddresses;
  private final boolean pruneInherited;
  private final long pruneAtNanos;
  private final Backoff backoff;
  private final Consumer<String> signingKey;
  private final long lockTimeoutMs;

  /** What this instance watches. */
  private final Set<String> desired = new LinkedHashSet<>();
  /** What the webhook holds, as far as this instance knows (its own adds, and what it found). */
  private final Set<String> registered = new HashSet<>();
  /** Found at the webhook on discovery and not subscribed here (yet): removed once the prune time has come. */
  private final Set<String> inherited = new HashSet<>();
  private NotifyApi.Webhook webhook;
  private long timer = -1;
  private boolean running;
  private boolean stopped;
  private boolean overflowLogged;
  /** Whether the last Notify call succeeded; volatile for status reads from the metrics thread. */
  private volatile boolean healthy;

  WebhookAddresses(Vertx vertx, NotifyApi api, AlchemyNetwork network, AlchemySettings settings, boolean pruneInherited, long pruneAfterMs,
                   Consumer<String> signingKey) {
    this.vertx = vertx;
    this.api = api;
    this.network = network;
    this.url = settings.webhookUrl(network.pluginId());
    this.debounceMs = settings.debounceMs();
    this.maxAddresses = settings.maxAddressesPerWebhook();
    this.pruneInherited = pruneInherited;
    this.pruneAtNanos = System.nanoTime() + pruneAfterMs * 1_000_000;
    this.backoff = new Backoff(settings.retryMinMs(), settings.retryMaxMs(), true);
    this.signingKey = signingKey;
    // Discovery and creation take two calls at most.
    this.lockTimeoutMs = 3 * settings.requestTimeoutMs();
    if (pruneInherited) {
      vertx.setTimer(Math.max(1, pruneAfterMs), id -> schedule(0));
    }
  }

  /** Finds the webhook (and its signing key) right away, so that deliveries are verified before any change. */
  void start() {
    schedule(0);
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  boolean healthy() {
    return healthy;
  }

  void add(String address) {
    desired.add(address);
    inherited.remove(address);
    schedule(debounceMs);
  }

  void remove(String address) {
    desired.remove(address);
    schedule(debounceMs);
  }

  /**
   * The address moved to another instance of this plugin, which has added it to the same webhook: this instance forgets
   * it without removing it there (a removal landing after the other's add would leave the new owner deaf).
   */
  void handedOver(String address) {
    desired.remove(address);
    registered.remove(address);
  }

  private void schedule(long delayMs) {
    if (stopped || timer >= 0) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, delayMs), id -> {
      timer = -1;
      sync();
    });
  }

  /** One call at a time; what changes meanwhile is picked up by the next round. */
  private void sync() {
    if (running || stopped) {
      return;
    }
    running = true;
    step().onComplete(result -> {
      running = false;
      if (result.failed()) {
        healthy = false;
        long delay = backoff.nextDelayMs();
        log.atWarn().addKeyValue("pluginId", network.pluginId()).addKeyValue("retryMs", delay).addKeyValue("error", result.cause().toString())
          .log("Alchemy Notify API call failed");
        schedule(delay);
        return;
      }
      healthy = true;
      backoff.reset();
      if (result.result()) {
        schedule(0);
      }
    });
  }

  /** One call towards the wanted state; true when more remain. */
  private Future<Boolean> step() {
    if (webhook == null) {
      return discover();
    }
    List<String> remove = new ArrayList<>();
    for (String address : registered) {
      if (remove.size() == NotifyApi.MAX_ADDRESSES_PER_CALL) {
        break;
      }
      boolean prunable = !inherited.contains(address) || System.nanoTime() - pruneAtNanos >= 0;
      if (!desired.contains(address) && prunable) {
        remove.add(address);
      }
    }
    int room = maxAddresses - registered.size() + remove.size();
    List<String> add = new ArrayList<>();
    for (String address : desired) {
      if (add.size() == NotifyApi.MAX_ADDRESSES_PER_CALL) {
        break;
      }
      if (!registered.contains(address)) {
        if (add.size() >= room) {
          logOverflow();
          break;
        }
        add.add(address);
      }
    }
    if (add.isEmpty() && remove.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return api.updateAddresses(webhook.id(), add, remove).map(v -> {
      remove.forEach(registered::remove);
      remove.forEach(inherited::remove);
      registered.addAll(add);
      log.atDebug().addKeyValue("pluginId", network.pluginId()).addKeyValue("added", add.size()).addKeyValue("removed", remove.size())
        .addKeyValue("registered", registered.size()).log("webhook addresses updated");
      return true;
    });
  }

  /**
   * Finds this network's webhook at this URL, or creates it once there is something to watch; under a cluster-wide
   * lock per network, so that instances starting together create one webhook and share its signing key. While none
   * exists and other instances share it, looks again every {@value #REDISCOVER_MS} ms: another instance may create it,
   * and deliveries reaching this instance need its key.
   */
  private Future<Boolean> discover() {
    return vertx.sharedData().withLock("alchemy.webhook." + network.network(), lockTimeoutMs, this::findOrCreate).map(more -> {
      if (webhook == null && !pruneInherited) {
        vertx.setTimer(REDISCOVER_MS, id -> schedule(0));
      }
      return more;
    });
  }

  private Future<Boolean> findOrCreate() {
    return api.teamWebhooks().compose(webhooks -> {
      NotifyApi.Webhook found = webhooks.stream()
        .filter(w -> network.network().equals(w.network()) && "ADDRESS_ACTIVITY".equals(w.type()) && url.equals(w.url()) && w.active())
        .findFirst().orElse(null);
      if (found != null) {
        use(found, "found");
        return pruneInherited ? readInherited(null).map(true) : Future.succeededFuture(true);
      }
      if (desired.isEmpty()) {
        return Future.succeededFuture(false);
      }
      List<String> first = desired.stream().limit(Math.min(NotifyApi.MAX_ADDRESSES_PER_CALL, maxAddresses)).toList();
      return api.createWebhook(network.network(), url, first).map(created -> {
        use(created, "created");
        registered.addAll(first);
        return true;
      });
    });
  }

  private Future<Void> readInherited(String after) {
    return api.webhookAddresses(webhook.id(), LIST_PAGE, after).compose(page -> {
      for (String address : page.addresses()) {
        String normalized = AddressFormat.normalize(address, network.solana());
        if (normalized != null) {
          registered.add(normalized);
          if (!desired.contains(normalized)) {
            inherited.add(normalized);
          }
        }
      }
      return page.after() == null ? Future.succeededFuture() : readInherited(page.after());
    });
  }

  private void use(NotifyApi.Webhook found, String how) {
    webhook = found;
    signingKey.accept(found.signingKey());
    log.atInfo().addKeyValue("pluginId", network.pluginId()).addKeyValue("network", network.network()).addKeyValue("webhookId", found.id())
      .log("webhook " + how);
  }

  private void logOverflow() {
    if (!overflowLogged) {
      overflowLogged = true;
      log.atWarn().addKeyValue("pluginId", network.pluginId()).addKeyValue("maxAddressesPerWebhook", maxAddresses)
        .log("webhook full: further addresses are not watched by Alchemy until others leave");
    }
  }
}
