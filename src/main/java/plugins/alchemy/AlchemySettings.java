package plugins.alchemy;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The plugin's config section ({@code plugins.alchemy}), with defaults. {@code authToken} (the team's Notify API token,
 * usually {@code ${env:ALCHEMY_AUTH_TOKEN}}) absent or blank means unkeyed: addresses are validated and answered 2, no
 * webhook is managed. {@code apiKey} (the app's RPC key) absent means no checkpoint scans (answered 2).
 */
record AlchemySettings(
  String authToken,
  String apiKey,
  String webhookHost,
  int webhookPort,
  String publicUrl,
  String notifyUrl,
  String rpcUrl,
  List<AlchemyNetwork> networks,
  long debounceMs,
  long requestTimeoutMs,
  long retryMinMs,
  long retryMaxMs,
  int maxBodyBytes,
  int recentEventIds,
  int maxAddressesPerWebhook) {

  static final String DEFAULT_NOTIFY_URL = "https://dashboard.alchemy.com/api";
  /** {@code {host}} is the network's RPC host prefix, {@code {{apiKey}}} the app's key. */
  static final String DEFAULT_RPC_URL = "https://{host}.g.alchemy.com/v2/{{apiKey}}";
  /**
   * Alchemy's documented capacity of one Address Activity webhook: "Each webhook can track up to 100,000 addresses"
   * (alchemy.com/support/how-do-i-manage-and-add-more-addresses-to-a-webhook; an older revision of the same page said
   * 50,000, which an operator on an older plan can set with {@code maxAddressesPerWebhook}).
   */
  static final int ALCHEMY_MAX_ADDRESSES_PER_WEBHOOK = 100_000;

  static AlchemySettings fromJson(JsonObject json) {
    JsonObject webhook = json.getJsonObject("webhook", new JsonObject());
    int port = webhook.getInteger("port", 8030);
    String host = webhook.getString("host", "127.0.0.1");
    String publicUrl = stripSlash(webhook.getString("publicUrl", "http://127.0.0.1:" + port));
    return new AlchemySettings(
      blankToNull(json.getString("authToken")),
      blankToNull(json.getString("apiKey")),
      host,
      port,
      publicUrl,
      stripSlash(json.getString("notifyUrl", DEFAULT_NOTIFY_URL)),
      json.getString("rpcUrl", DEFAULT_RPC_URL),
      networks(json),
      json.getLong("debounceMs", 1_000L),
      json.getLong("requestTimeoutMs", 10_000L),
      json.getLong("retryMinMs", 1_000L),
      json.getLong("retryMaxMs", 60_000L),
      json.getInteger("maxBodyBytes", 1024 * 1024),
      json.getInteger("recentEventIds", 10_000),
      Math.min(ALCHEMY_MAX_ADDRESSES_PER_WEBHOOK, json.getInteger("maxAddressesPerWebhook", ALCHEMY_MAX_ADDRESSES_PER_WEBHOOK)));
  }

  /** The enabled networks' pluginIds, in the catalog's order (every network is enabled unless its section says otherwise). */
  static List<String> pluginIds(JsonObject json) {
    return networks(json).stream().map(AlchemyNetwork::pluginId).toList();
  }

  boolean keyed() {
    return authToken != null;
  }

  /** Whether a config section has an auth token, without reading the rest of it. */
  static boolean keyed(JsonObject json) {
    return blankToNull(json.getString("authToken")) != null;
  }

  String webhookPath(String pluginId) {
    return "/webhook/alchemy/" + pluginId;
  }

  String webhookUrl(String pluginId) {
    return publicUrl + webhookPath(pluginId);
  }

  String rpcUrl(AlchemyNetwork network) {
    return rpcUrl.replace("{host}", network.rpcHost()).replace("{{apiKey}}", apiKey == null ? "" : apiKey);
  }

  private static List<AlchemyNetwork> networks(JsonObject json) {
    JsonObject sections = json.getJsonObject("networks", new JsonObject());
    return AlchemyNetwork.DEFAULTS.values().stream()
      .filter(network -> sections.getJsonObject(network.pluginId(), new JsonObject()).getBoolean("enabled", true))
      .map(network -> {
        JsonObject section = sections.getJsonObject(network.pluginId(), new JsonObject());
        return new AlchemyNetwork(network.pluginId(), section.getString("network", network.network()),
          section.getString("rpcHost", network.rpcHost()), network.solana(), network.categories());
      })
      .toList();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    // Never the token or the key.
    return "AlchemySettings[keyed=" + keyed() + ", rpcKey=" + (apiKey != null) + ", webhook=" + webhookHost + ":" + webhookPort
      + ", publicUrl=" + publicUrl + ", notifyUrl=" + notifyUrl + ", networks=" + networks.stream().map(AlchemyNetwork::pluginId).toList() + "]";
  }
}
