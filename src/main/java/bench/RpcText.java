package bench;

import io.vertx.core.json.Json;

import java.util.function.IntFunction;

/**
 * The client side of PROTOCOL.md, as wire text. Written by hand rather than through {@code JsonArray}: a large run
 * builds a million tuples and this keeps the tool's own CPU out of the server's way.
 */
final class RpcText {

  private RpcText() {
  }

  /**
   * A {@code subscribe} call with id {@code id} for addresses {@code from} (inclusive) to {@code to} (exclusive), no
   * checkpoint. Addresses come from {@link AddressScheme} and need no escaping; the pluginId is the user's and does.
   */
  static String subscribe(int id, String pluginId, IntFunction<String> addressAt, int from, int to) {
    String plugin = Json.encode(pluginId);
    StringBuilder text = new StringBuilder(64 + (to - from) * (plugin.length() + 32));
    text.append("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[");
    for (int i = from; i < to; i++) {
      if (i > from) {
        text.append(',');
      }
      text.append('[').append(plugin).append(",\"").append(addressAt.apply(i)).append("\"]");
    }
    return text.append("],\"id\":").append(id).append('}').toString();
  }
}
