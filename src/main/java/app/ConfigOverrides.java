package app;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Config keys set by environment variables, so that one image and one config file serve every role and every pod:
 * {@code CHANGE_SERVER_} followed by the key's path, levels separated by {@code __} (two underscores), e.g.
 * {@code CHANGE_SERVER_hub__port=9000}, {@code CHANGE_SERVER_SUPERVISOR__HEAPMB__HUB=512}.
 *
 * <ul>
 *   <li>Each level matches a key already at that level of the loaded config regardless of case (so upper-case names
 *   work for keys the file has); a level the config does not have is created as spelled (so a key left at its code
 *   default needs its exact camelCase: {@code CHANGE_SERVER_hub__pluginWaitMs}).</li>
 *   <li>The value is JSON when it parses as a JSON number, boolean, object or array ({@code 9000}, {@code true},
 *   {@code ["fake"]}); {@code null} removes the key (its default applies again); a JSON string in double quotes is
 *   that string ({@code "2024"} with its quotes, for a string that looks like a number); anything else is taken
 *   verbatim as a string. Text that opens an object or array but is not valid JSON is an error.</li>
 *   <li>Shallower paths apply first, so {@code CHANGE_SERVER_hub__port} wins over a {@code port} inside
 *   {@code CHANGE_SERVER_hub={...}}. A path through a value that is not an object, an empty level, or two variables
 *   naming one key (differently cased) is an error at start-up.</li>
 * </ul>
 * Supervised child JVMs get their config from their parent, overrides already applied: they never see these
 * variables ({@link #isOverride}).
 */
public final class ConfigOverrides {

  /** What every override variable's name starts with. */
  public static final String PREFIX = "CHANGE_SERVER_";
  private static final String LEVEL_SEPARATOR = "__";

  private ConfigOverrides() {
  }

  /** Whether this environment variable is a config override. */
  public static boolean isOverride(String variable) {
    return variable.startsWith(PREFIX);
  }

  /** The override variables of this environment, sorted: their names are logged, never their values. */
  public static List<String> names(Map<String, String> environment) {
    return environment.keySet().stream().filter(ConfigOverrides::isOverride).sorted().toList();
  }

  /** {@code config} with every override of {@code environment} applied (in place; also returned). */
  public static JsonObject apply(JsonObject config, Map<String, String> environment) {
    List<List<String>> paths = new ArrayList<>();
    Map<List<String>, String> variables = new HashMap<>();
    for (String variable : names(environment)) {
      List<String> path = path(variable);
      paths.add(path);
      variables.put(path, variable);
    }
    paths.sort(Comparator.<List<String>>comparingInt(List::size).thenComparing(variables::get));
    Map<String, String> applied = new HashMap<>();
    for (List<String> path : paths) {
      String variable = variables.get(path);
      String key = set(config, path, parse(environment.get(variable), variable), variable);
      String earlier = applied.putIfAbsent(key, variable);
      if (earlier != null) {
        throw new IllegalArgumentException("environment variables " + earlier + " and " + variable + " both set config key " + key);
      }
    }
    return config;
  }

  private static List<String> path(String variable) {
    String name = variable.substring(PREFIX.length());
    List<String> levels = List.of(name.split(LEVEL_SEPARATOR, -1));
    // Three underscores in a row could split either way: no key of ours needs them.
    if (levels.stream().anyMatch(String::isEmpty) || name.contains("___")) {
      throw new IllegalArgumentException("environment variable " + variable + " does not name a config key: levels are separated by exactly two underscores");
    }
    return levels;
  }

  /** Sets the value at {@code path}, creating missing levels; returns the dotted path of the key set, as spelled in the config. */
  private static String set(JsonObject config, List<String> path, Object value, String variable) {
    JsonObject parent = config;
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < path.size(); i++) {
      String level = existingKey(parent, path.get(i), variable);
      key.append(i == 0 ? "" : ".").append(level);
      if (i == path.size() - 1) {
        if (value == null) {
          parent.remove(level);
        } else {
          parent.put(level, value);
        }
        break;
      }
      Object child = parent.getValue(level);
      if (child == null) {
        child = new JsonObject();
        parent.put(level, child);
      }
      if (!(child instanceof JsonObject object)) {
        throw new IllegalArgumentException("environment variable " + variable + " names a key inside " + key + ", which is not an object");
      }
      parent = object;
    }
    return key.toString();
  }

  /** The key of {@code object} that {@code level} names: itself if present, else the one key equal to it ignoring case, else {@code level}. */
  private static String existingKey(JsonObject object, String level, String variable) {
    if (object.containsKey(level)) {
      return level;
    }
    List<String> matches = object.fieldNames().stream().filter(name -> name.equalsIgnoreCase(level)).toList();
    if (matches.size() > 1) {
      throw new IllegalArgumentException("environment variable " + variable + ": " + level + " matches several config keys " + matches.stream().sorted().toList() + "; spell the one meant exactly");
    }
    return matches.isEmpty() ? level : matches.get(0);
  }

  /**
   * A JSON value when the text is one, else the text verbatim; {@code null} (the key's removal). Text that opens an
   * object or array but is not valid JSON is an error rather than a string no reader expects; the error never echoes
   * the text, which may be a secret.
   */
  private static Object parse(String text, String variable) {
    String trimmed = text.trim();
    if (trimmed.equals("null")) {
      return null;
    }
    if (trimmed.equals("true") || trimmed.equals("false")) {
      return Boolean.valueOf(trimmed);
    }
    if (trimmed.isEmpty() || !(isStructure(trimmed.charAt(0)) || trimmed.charAt(0) == '"' || trimmed.charAt(0) == '-' || Character.isDigit(trimmed.charAt(0)))) {
      return text;
    }
    try {
      return Json.decodeValue(trimmed);
    } catch (DecodeException e) {
      if (isStructure(trimmed.charAt(0))) {
        throw new IllegalArgumentException("environment variable " + variable + " starts a JSON object or array but is not valid JSON");
      }
      return text;
    }
  }

  private static boolean isStructure(char first) {
    return first == '{' || first == '[';
  }
}
