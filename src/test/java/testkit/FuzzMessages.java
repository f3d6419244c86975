package testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Seeded hostile client messages: valid calls, their mutations (truncated, bytes flipped, wrong types), huge numbers,
 * deep nesting and invalid UTF-8. The same seed gives the same sequence, so a failure can be replayed.
 */
public final class FuzzMessages {

  /** One message: text, or the bytes of a binary frame. */
  public record Message(String text, byte[] binary) {

    public int size() {
      return text != null ? text.length() : binary.length;
    }

    @Override
    public String toString() {
      String shown = text != null ? text : "binary:" + new String(binary, StandardCharsets.ISO_8859_1);
      return shown.length() > 200 ? shown.substring(0, 200) + "…(" + shown.length() + ")" : shown;
    }
  }

  private static final String[] PLUGIN_IDS = {"fake", "nochain", "", "fake\u0000", "ethereum"};
  private static final Object[] ODD_VALUES = {
    null, true, 1.5, -0.0, 1e308, Long.MAX_VALUE, new JsonObject(), new JsonArray(), "", "\uD800", "2.0", 0
  };

  private final Random random;

  public FuzzMessages(long seed) {
    this.random = new Random(seed);
  }

  public Message next() {
    int kind = random.nextInt(100);
    if (kind < 20) {
      return text(validCall().encode());
    }
    if (kind < 45) {
      return text(truncate(validCall().encode()));
    }
    if (kind < 65) {
      return text(flipBytes(validCall().encode()));
    }
    if (kind < 80) {
      return text(wrongTypes().encode());
    }
    if (kind < 85) {
      return text(hugeNumber());
    }
    if (kind < 90) {
      return text(deepNesting());
    }
    if (kind < 95) {
      byte[] bytes = new byte[1 + random.nextInt(64)];
      random.nextBytes(bytes);
      return new Message(null, bytes);
    }
    return new Message(null, validCall().encode().getBytes(StandardCharsets.UTF_8));
  }

  private static Message text(String text) {
    return new Message(text, null);
  }

  private JsonObject validCall() {
    JsonArray params = new JsonArray();
    int tuples = random.nextInt(4);
    for (int i = 0; i < tuples; i++) {
      JsonArray tuple = new JsonArray().add(PLUGIN_IDS[random.nextInt(PLUGIN_IDS.length)]).add("addr" + random.nextInt(1000));
      if (random.nextBoolean()) {
        tuple.add(random.nextBoolean() ? null : String.valueOf(random.nextInt(1_000_000)));
      }
      params.add(tuple);
    }
    return new JsonObject()
      .put("jsonrpc", "2.0")
      .put("method", random.nextInt(4) == 0 ? "unsubscribe" : "subscribe")
      .put("params", params)
      .put("id", random.nextBoolean() ? (Object) random.nextInt(1000) : "id-" + random.nextInt(1000));
  }

  private JsonObject wrongTypes() {
    JsonObject call = validCall();
    String[] keys = {"jsonrpc", "method", "params", "id", "result", "error"};
    String key = keys[random.nextInt(keys.length)];
    Object odd = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
    if (random.nextInt(5) == 0) {
      call.remove(key);
    } else {
      call.put(key, odd instanceof JsonObject || odd instanceof JsonArray ? ((odd instanceof JsonObject o) ? o.copy() : ((JsonArray) odd).copy()) : odd);
    }
    return call;
  }

  private String truncate(String text) {
    return text.substring(0, random.nextInt(text.length()));
  }

  private String flipBytes(String text) {
    char[] chars = text.toCharArray();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      chars[random.nextInt(chars.length)] = (char) random.nextInt(128);
    }
    return new String(chars);
  }

  private String hugeNumber() {
    String digits = "9".repeat(1 + random.nextInt(2000));
    return switch (random.nextInt(3)) {
      case 0 -> "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[],\"id\":" + digits + "}";
      case 1 -> "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"a\"," + digits + "]],\"id\":1}";
      default -> "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[],\"id\":1e" + digits + "}";
    };
  }

  private String deepNesting() {
    int depth = 100 + random.nextInt(5000);
    return "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"id\":1,\"params\":" + "[".repeat(depth) + "]".repeat(random.nextInt(depth + 1));
  }
}
