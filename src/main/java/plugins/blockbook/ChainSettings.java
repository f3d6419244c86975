package plugins.blockbook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import plugins.blockbook.address.Network;
import plugins.blockbook.upstream.SocketSettings;
import plugins.blockbook.upstream.UpstreamUrl;

import java.util.List;
import java.util.Map;

/**
 * One chain's section of the plugin config ({@code chains.<pluginId>}), with defaults within a Blockbook v0.6.0
 * server's limits (CHAINS.md). {@code enabled} is read by {@link BlockbookPluginVerticle#pluginIds}.
 */
record ChainSettings(
  String pluginId,
  Network network,
  List<UpstreamUrl> urls,
  boolean newBlockTxs,
  int maxAddressesPerConnection,
  int maxDescriptorsPerScanConnection,
  int connectAttemptsPerMinute,
  long reconnectMinMs,
  long reconnectMaxMs,
  long lostAfterMs,
  int maxPendingTxs,
  SocketSettings socket) {

  private static final Logger log = LoggerFactory.getLogger(ChainSettings.class);

  /** The chains the plugin serves, each with its default upstream (hosted, API key in the path). */
  static final Map<String, String> DEFAULT_URLS = Map.of(
    "bitcoin", "wss://btcbook.nownodes.io/wss/{{apiKey}}",
    "bitcoincash", "wss://bchbook.nownodes.io/wss/{{apiKey}}",
    "litecoin", "wss://ltcbook.nownodes.io/wss/{{apiKey}}",
    "dogecoin", "wss://dogebook.nownodes.io/wss/{{apiKey}}",
    "qtum", "wss://qtum-blockbook.nownodes.io/wss/{{apiKey}}");
  static final List<String> PLUGIN_IDS = List.of("bitcoin", "bitcoincash", "litecoin", "dogecoin", "qtum");

  /** Blockbook's per-subscribeAddresses limits: with newBlockTxs a connection may hold far fewer addresses. */
  private static final int SERVER_MAX_ADDRESSES = 1000;
  private static final int SERVER_MAX_ADDRESSES_NEW_BLOCK_TXS = 100;
  /** Blockbook (v0.6.0 on, by default) serves 42 distinct getAccountInfo descriptors per connection and closes it at the 43rd. */
  private static final int SERVER_MAX_DESCRIPTORS = 42;

  static ChainSettings fromJson(String pluginId, JsonObject json, JsonObject apiKeys) {
    boolean newBlockTxs = json.getBoolean("newBlockTxs", true);
    int serverMax = newBlockTxs ? SERVER_MAX_ADDRESSES_NEW_BLOCK_TXS : SERVER_MAX_ADDRESSES;
    int maxAddresses = json.getInteger("maxAddressesPerConnection", serverMax);
    if (maxAddresses > serverMax || maxAddresses < 1) {
      log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("maxAddressesPerConnection", maxAddresses).addKeyValue("serverMax", serverMax)
        .addKeyValue("newBlockTxs", newBlockTxs).log("maxAddressesPerConnection outside 1..serverMax: using serverMax");
      maxAddresses = serverMax;
    }
    JsonArray templates = json.getJsonArray("urls", new JsonArray().add(DEFAULT_URLS.get(pluginId)));
    List<UpstreamUrl> urls = templates.stream().map(String.class::cast).map(template -> UpstreamUrl.resolve(template, apiKeys)).toList();
    SocketSettings socket = new SocketSettings(
      json.getLong("requestTimeoutMs", 10_000L),
      json.getLong("pingIntervalMs", 50_000L),
      json.getInteger("messageBudget", 2_000),
      json.getLong("messageBudgetWindowMs", 600_000L),
      json.getInteger("maxInFlight", 40));
    return new ChainSettings(
      pluginId,
      Network.fromConfig(json.getString("network", "mainnet")),
      urls,
      newBlockTxs,
      maxAddresses,
      Math.min(SERVER_MAX_DESCRIPTORS, json.getInteger("maxDescriptorsPerScanConnection", 40)),
      json.getInteger("connectAttemptsPerMinute", 30),
      json.getLong("reconnectMinMs", 1_000L),
      json.getLong("reconnectMaxMs", 60_000L),
      json.getLong("lostAfterMs", 300_000L),
      json.getInteger("maxPendingTxs", 1_000),
      socket);
  }
}
