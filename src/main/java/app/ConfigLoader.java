package app;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code -conf} argument: a JSON file, or inline JSON. Absent keys take each reader's documented default.
 * Then {@code CHANGE_SERVER_*} environment variables override keys ({@link ConfigOverrides}), then a string value
 * {@code ${env:NAME}} is replaced by that environment variable, so that API keys and other secrets can stay out of
 * config files; an unset variable is an error, never a silent empty key. Overrides come first so that an override can
 * itself be a {@code ${env:NAME}} reference, and can replace a reference (or a whole section) that a role does not
 * use, instead of that role needing the variable.
 */
public final class ConfigLoader {

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  private ConfigLoader() {
  }

  static JsonObject load(String conf) throws IOException {
    return load(conf, System.getenv());
  }

  /** The config as a JVM started with {@code -conf conf} in this {@code environment} runs with. */
  public static JsonObject load(String conf, Map<String, String> environment) throws IOException {
    JsonObject config = ConfigOverrides.apply(read(conf), environment);
    return (JsonObject) resolve(config, value -> substitute(value, environment));
  }

  private static JsonObject read(String conf) throws IOException {
    if (conf == null || conf.isBlank()) {
      return new JsonObject();
    }
    boolean inline = conf.trim().startsWith("{");
    String text = inline ? conf : Files.readString(Path.of(conf), StandardCharsets.UTF_8);
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      // Inline config may hold secrets: name the problem, never echo the text.
      throw new IllegalArgumentException(inline ? "inline -conf is not a JSON object" : "config file " + conf + " is not a JSON object");
    }
  }

  private static Object resolve(Object value, UnaryOperator<String> strings) {
    if (value instanceof JsonObject object) {
      JsonObject resolved = new JsonObject();
      object.forEach(entry -> resolved.put(entry.getKey(), resolve(entry.getValue(), strings)));
      return resolved;
    }
    if (value instanceof JsonArray array) {
      JsonArray resolved = new JsonArray();
      array.forEach(element -> resolved.add(resolve(element, strings)));
      return resolved;
    }
    return value instanceof String string ? strings.apply(string) : value;
  }

  private static String substitute(String value, Map<String, String> environment) {
    Matcher matcher = ENV_REFERENCE.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String variable = environment.get(matcher.group(1));
      if (variable == null) {
        throw new IllegalArgumentException("config refers to environment variable " + matcher.group(1) + ", which is not set");
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(variable));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }
}
