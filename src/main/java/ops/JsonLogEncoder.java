package ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One JSON object per line: {@code ts, level, logger, thread, msg}, then the MDC and the event's SLF4J key-value
 * pairs as top-level fields ({@code connection}, {@code pluginId}, {@code address}, {@code checkpoint}…), then
 * {@code error} and {@code stack} for a throwable. Callers shorten addresses with {@code api.Redact} and never log
 * keys; as a last line of defence, anything shaped like an API key in a URL query ({@code apikey=…}, {@code key=…},
 * {@code token=…}) is masked here too.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] NONE = new byte[0];
  private static final Pattern KEY_IN_QUERY = Pattern.compile("(?i)([?&](?:api[-_]?key|key|token|access[-_]?token)=)[^&\\s\"']+");

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    JsonObject line = new JsonObject()
      .put("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString())
      .put("level", event.getLevel().toString())
      .put("logger", event.getLoggerName())
      .put("thread", event.getThreadName())
      .put("msg", masked(event.getFormattedMessage()));
    event.getMDCPropertyMap().forEach((key, value) -> line.put(key, masked(value)));
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        line.put(pair.key, pair.value instanceof Number || pair.value instanceof Boolean ? pair.value : masked(String.valueOf(pair.value)));
      }
    }
    IThrowableProxy throwable = event.getThrowableProxy();
    if (throwable != null) {
      line.put("error", masked(throwable.getClassName() + ": " + throwable.getMessage()));
      line.put("stack", masked(ThrowableProxyUtil.asString(throwable)));
    }
    return (line.encode() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static String masked(String text) {
    return text == null ? null : KEY_IN_QUERY.matcher(text).replaceAll("$1***");
  }
}
