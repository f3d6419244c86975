package chainworker;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One RPC URL with its API key filled in. {@code label} (scheme, host and port) is what logs may show: the key usually
 * sits in the path or query, and {@link #redact} hides it from anything else that might quote the URL.
 */
record Upstream(String url, String label, String apiKey) {

  static final String KEY_PLACEHOLDER = "{{apiKey}}";

  private static final Set<String> HTTP = Set.of("http", "https");
  private static final Set<String> WEBSOCKET = Set.of("ws", "wss");

  /**
   * Resolves RPC URL templates (http or https); {@code apiKeys} maps a host to its key. Fails on a template whose host
   * has no key.
   */
  static List<Upstream> resolveHttp(List<String> templates, JsonObject apiKeys) {
    return templates.stream().map(template -> resolve(template, apiKeys, HTTP)).toList();
  }

  /**
   * Resolves Etherscan v1 API bases as Edge's {@code etherscan-v1} scan adapters give them (e.g.
   * {@code https://etc.blockscout.com}): the API is at {@code <base>/api}, and an {@code apikey} parameter is added only
   * when {@code apiKeys} has an entry for the host (Blockscout and Routescan answer without one).
   */
  static List<Upstream> resolveEtherscanV1(List<String> bases, JsonObject apiKeys) {
    return bases.stream().map(base -> {
      Upstream upstream = resolve(base, apiKeys, HTTP);
      String api = stripSlash(upstream.url()) + "/api";
      String key = apiKeys.getString(URI.create(api).getHost());
      return key == null || key.isEmpty() ? new Upstream(api, upstream.label(), null)
        : new Upstream(api + "?apikey=" + key, upstream.label(), key);
    }).toList();
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Resolves a WebSocket URL template (ws or wss) like {@link #resolveHttp}. */
  static Upstream resolveWebSocket(String template, JsonObject apiKeys) {
    return resolve(template, apiKeys, WEBSOCKET);
  }

  private static Upstream resolve(String template, JsonObject apiKeys, Set<String> schemes) {
    URI uri = URI.create(template.replace(KEY_PLACEHOLDER, "key"));
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !schemes.contains(scheme)) {
      throw new IllegalArgumentException("unsupported URL " + labelOf(uri) + ": expected one of " + new TreeSet<>(schemes));
    }
    String label = labelOf(uri);
    if (!template.contains(KEY_PLACEHOLDER)) {
      return new Upstream(template, label, null);
    }
    String key = apiKeys.getString(uri.getHost());
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("no apiKeys entry for host " + uri.getHost() + " (URL " + label + ")");
    }
    return new Upstream(template.replace(KEY_PLACEHOLDER, key), label, key);
  }

  private static String labelOf(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /** The text with this upstream's key masked, for error messages that may have quoted the URL. */
  String redact(String text) {
    return apiKey == null || text == null ? text : text.replace(apiKey, "***");
  }

  @Override
  public String toString() {
    return label;
  }
}
