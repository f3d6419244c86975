package plugins.alchemy;

import api.plugin.Chain;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import plugins.host.PluginVerticle;

import java.util.List;

/**
 * The {@code alchemy} plugin: EVM networks and Solana through Alchemy's Address Activity webhooks, one chain per
 * network, with the webhook ingress on the plugin's own port. Config: {@code authToken}, {@code apiKey},
 * {@code webhook.host/port/publicUrl}, {@code notifyUrl}, {@code rpcUrl}, {@code networks.<pluginId>.enabled/network/rpcHost}
 * and tuning keys, see {@link AlchemySettings}.
 */
public final class AlchemyPluginVerticle extends PluginVerticle {

  private static final Logger log = LoggerFactory.getLogger(AlchemyPluginVerticle.class);
  /** How long after start addresses found on a webhook may wait to be subscribed again before they are removed. */
  private static final long DEFAULT_PRUNE_AFTER_MS = 60_000;

  private AlchemySettings settings;
  private WebhookIngress ingress;
  private HttpClient client;

  /** The pluginIds served with this config (also for the catalog, before the plugin announces itself). */
  public static List<String> pluginIds(JsonObject config) {
    return AlchemySettings.pluginIds(config);
  }

  /** Whether this config has an Alchemy auth token: without one the plugin watches nothing and answers 2. */
  public static boolean keyed(JsonObject config) {
    return AlchemySettings.keyed(config);
  }

  @Override
  public Future<?> start() {
    settings = AlchemySettings.fromJson(config());
    log.atInfo().addKeyValue("settings", settings.toString()).log("alchemy plugin starting");
    client = vertx.createHttpClient(new HttpClientOptions());
    ingress = new WebhookIngress(vertx, settings);
    Future<?> listening = settings.keyed() ? ingress.listen() : Future.succeededFuture();
    return listening.compose(v -> super.start());
  }

  @Override
  public Future<?> stop() {
    return super.stop().eventually(() -> ingress.close()).eventually(() -> client.close());
  }

  @Override
  protected List<Chain> createChains(JsonObject config) {
    JsonHttp http = new JsonHttp(client, settings.requestTimeoutMs());
    // Pruning what a found webhook holds is safe only when this instance is the only one adding to it.
    boolean onlyInstance = config.getInteger("instances", 1) <= 1;
    long pruneAfterMs = config.getLong("pruneAfterMs", DEFAULT_PRUNE_AFTER_MS);
    NotifyApi api = settings.keyed() ? new NotifyApi(http, settings.notifyUrl(), settings.authToken()) : null;
    return settings.networks().stream().<Chain>map(network -> {
      WebhookAddresses webhook = api == null ? null
        : new WebhookAddresses(vertx, api, network, settings, onlyInstance, pruneAfterMs, key -> ingress.signingKey(network.pluginId(), key));
      TransferScanner scanner = settings.apiKey() == null || !network.scannable() ? null
        : new TransferScanner(vertx, http, settings.rpcUrl(network), network);
      return new AlchemyChain(vertx, network, webhook, scanner, settings.recentEventIds());
    }).toList();
  }
}
