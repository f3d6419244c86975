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
   * A {@code subscribe} call with id {@code id} for addresses {@code from} (inclusive) to {@code to} (exclusive), each
   * with {@code checkpoint} (null: none). Addresses come from {@link AddressScheme} and need no escaping; the pluginId
   * and the checkpoint are the user's and do.
   */
  static String subscribe(int id, String pluginId, IntFunction<String> addressAt, int from, int to, String checkpoint) {
    String plugin = Json.encode(pluginId);
    String afterAddress = checkpoint == null ? "\"]" : "\"," + Json.encode(checkpoint) + "]";
    StringBuilder text = new StringBuilder(64 + (to - from) * (plugin.length() + afterAddress.length() + 32));
    text.append("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[");
    for (int i = from; i < to; i++) {
      if (i > from) {
        text.append(',');
      }
      text.append('[').append(plugin).append(",\"").append(addressAt.apply(i)).append(afterAddress);
    }
    return text.append("],\"id\":").append(id).append('}').toString();
  }
}
