package plugins.blockbook.upstream;

import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.net.URI;

/**
 * A Blockbook WebSocket URL with its API key filled in, and the form that may be logged. Hosted providers put the key
 * in the path ({@code wss://host/wss/{{apiKey}}}); the key comes from the plugin's {@code apiKeys} map by host.
 */
public record UpstreamUrl(String url, String redacted) {

  private static final String KEY_PLACEHOLDER = "{{apiKey}}";

  /** Fills {@code {{apiKey}}} with the key configured for the URL's host (empty when none is configured). */
  public static UpstreamUrl resolve(String template, JsonObject apiKeys) {
    if (!template.contains(KEY_PLACEHOLDER)) {
      return new UpstreamUrl(template, template);
    }
    String host = URI.create(template.replace(KEY_PLACEHOLDER, "key")).getHost();
    String key = host == null ? null : apiKeys.getString(host);
    if (key == null) {
      LoggerFactory.getLogger(UpstreamUrl.class).warn("no API key configured for host {}: {} will likely be refused", host, template);
      key = "";
    }
    return new UpstreamUrl(template.replace(KEY_PLACEHOLDER, key), template.replace(KEY_PLACEHOLDER, "***"));
  }

  @Override
  public String toString() {
    return redacted;
  }
}
