package ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

/**
 * Applies the config's {@code logging.levels} map ({@code {"hub": "DEBUG", "com.hazelcast": "INFO"}}), logger name
 * to level, over what logback.xml sets. Applied once at start-up, before anything is deployed.
 */
public final class LogLevels {

  private LogLevels() {
  }

  /** {@code logging}: the config's {@code logging} section; an unknown level name is an error, not a silent INFO. */
  public static void apply(JsonObject logging) {
    JsonObject levels = logging.getJsonObject("levels", new JsonObject());
    if (levels.isEmpty() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    levels.forEach(entry -> {
      Level level = Level.toLevel(String.valueOf(entry.getValue()), null);
      if (level == null) {
        throw new IllegalArgumentException("logging.levels." + entry.getKey() + ": unknown level \"" + entry.getValue() + "\"");
      }
      context.getLogger(entry.getKey()).setLevel(level);
    });
  }
}
