package chainworker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A chain worker's config, with defaults. Keys besides these are {@link plugins.host.PluginVerticle}'s
 * ({@code scanTimeoutMs}, {@code eventBatchSize}, {@code eventFlushDelayMs}).
 *
 * @param pluginId          the chain served, e.g. {@code ethereum} (required)
 * @param urls              RPC URLs, http(s), tried in order and failed over (required); {@code {{apiKey}}} is replaced
 *                          by the {@code apiKeys} entry of the URL's host
 * @param apiKeys           host → API key
 * @param etherscanUrls     optional Etherscan-compatible API URLs (e.g. {@code https://api.etherscan.io/v2/api?chainid=1
 *                          &apikey={{apiKey}}}), asked by scans when the node has no state at the checkpoint
 * @param etherscanV1Urls   optional Etherscan v1 API bases as Edge lists them (e.g. {@code https://etc.blockscout.com};
 *                          the API is {@code <base>/api}, no chainid, an {@code apikey} only if {@code apiKeys} has the
 *                          host), asked like {@code etherscanUrls} and after them, for Edge's three lists
 * @param newHeadsUrl       optional ws(s) URL ({@code {{apiKey}}} allowed) whose {@code eth_subscribe newHeads}
 *                          notifications make the worker read a new block at once; polling stays as the fallback
 * @param pollIntervalMs    how often the head is polled (default 2000; with newHeads, only a fallback)
 * @param callTimeoutMs     whole-call timeout of one upstream request, RPC or Etherscan (default 10000)
 * @param maxAttempts       attempts per upstream request, across URLs, before it fails (default 3)
 * @param retryBackoffMs    pause before the second attempt, doubled for each further one (default 200)
 * @param workerPoolSize    threads for blocking RPC calls (default 4)
 * @param maxLogRange       most blocks per {@code eth_getLogs} range query in checkpoint scans (default 1000)
 * @param maxScanBlocks     a checkpoint further back than this many blocks answers 2 without a scan (default 50000)
 * @param internalTransfers whether to trace blocks for internal value transfers (default true; the trace method is
 *                          detected once)
 * @param lostAfterMs       how long the upstream may stay unusable before every watched address gets subLost
 *                          (default 300000)
 * @param reorgDepth        block hashes remembered to find the fork point of a reorg (default 128)
 * @param readAheadBlocks   blocks read at once while catching up (default 4)
 */
record EvmSettings(String pluginId, List<String> urls, JsonObject apiKeys, List<String> etherscanUrls, List<String> etherscanV1Urls,
                   String newHeadsUrl,
                   long pollIntervalMs, long callTimeoutMs, int maxAttempts, long retryBackoffMs, int workerPoolSize,
                   int maxLogRange, long maxScanBlocks, boolean internalTransfers, long lostAfterMs, int reorgDepth,
                   int readAheadBlocks) {

  static EvmSettings fromJson(JsonObject json) {
    String pluginId = json.getString("pluginId");
    if (pluginId == null || pluginId.isEmpty()) {
      throw new IllegalArgumentException("chain worker config needs \"pluginId\"");
    }
    List<String> urls = json.getJsonArray("urls", new JsonArray()).stream().map(String::valueOf).toList();
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("chain worker " + pluginId + " needs at least one entry in \"urls\"");
    }
    return new EvmSettings(
      pluginId,
      urls,
      json.getJsonObject("apiKeys", new JsonObject()),
      json.getJsonArray("etherscanUrls", new JsonArray()).stream().map(String::valueOf).toList(),
      json.getJsonArray("etherscanV1Urls", new JsonArray()).stream().map(String::valueOf).toList(),
      json.getString("newHeadsUrl"),
      positive(json, "pollIntervalMs", 2_000L),
      positive(json, "callTimeoutMs", 10_000L),
      (int) positive(json, "maxAttempts", 3L),
      positive(json, "retryBackoffMs", 200L),
      (int) positive(json, "workerPoolSize", 4L),
      (int) positive(json, "maxLogRange", 1_000L),
      positive(json, "maxScanBlocks", 50_000L),
      json.getBoolean("internalTransfers", true),
      positive(json, "lostAfterMs", 300_000L),
      (int) positive(json, "reorgDepth", 128L),
      (int) positive(json, "readAheadBlocks", 4L));
  }

  private static long positive(JsonObject json, String key, long defaultValue) {
    long value = json.getLong(key, defaultValue);
    if (value <= 0) {
      throw new IllegalArgumentException("\"" + key + "\" must be positive, got " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    // Never the URLs: they may hold API keys.
    return "EvmSettings[pluginId=" + pluginId + ", urls=" + urls.size() + ", etherscanUrls=" + etherscanUrls.size() + ", etherscanV1Urls=" + etherscanV1Urls.size()
      + ", newHeads=" + (newHeadsUrl != null) + ", pollIntervalMs=" + pollIntervalMs + "]";
  }
}
