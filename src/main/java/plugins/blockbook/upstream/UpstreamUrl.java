package plugins.blockbook.upstream;

import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.net.URI;

/**
 * A Blockbook WebSocket URL with its API key filled in, and the form that may be logged. Hosted providers put the key
 * in the path ({@code wss://host/wss/{{apiKey}}}); the key comes from the plugin's {@code apiKeys} map by host.
 *
 * @param apiKey the key filled in, or null: {@link #redact} masks it in any text (an error message quoting the URL)
 */
public record UpstreamUrl(String url, String redacted, String apiKey) {

  /** A URL without a key. */
  public UpstreamUrl(String url, String redacted) {
    this(url, redacted, null);
  }

  private static final String KEY_PLACEHOLDER = "{{apiKey}}";

  /** Fills {@code {{apiKey}}} with the key configured for the URL's host (empty when none is configured). */
  public static UpstreamUrl resolve(String template, JsonObject apiKeys) {
    if (!template.contains(KEY_PLACEHOLDER)) {
      return new UpstreamUrl(template, template);
    }
    String host = URI.create(template.replace(KEY_PLACEHOLDER, "key")).getHost();
    String key = host == null ? null : apiKeys.getString(host);
    String redacted = template.replace(KEY_PLACEHOLDER, "***");
    if (key == null) {
      LoggerFactory.getLogger(UpstreamUrl.class).atWarn().addKeyValue("host", host).addKeyValue("url", redacted)
        .log("no API key configured for the host: the upstream will likely refuse");
      key = "";
    }
    return new UpstreamUrl(template.replace(KEY_PLACEHOLDER, key), redacted, key.isEmpty() ? null : key);
  }

  /** The text with this URL's key masked. */
  public String redact(String text) {
    return apiKey == null || text == null ? text : text.replace(apiKey, "***");
  }

  @Override
  public String toString() {
    return redacted;
  }
}
