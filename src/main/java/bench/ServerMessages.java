package bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a socket of the tool reads from the server (PROTOCOL.md): one parse shared by the load sockets and the storm's
 * Edge-like ones, each acting on the kinds in its own way.
 */
interface ServerMessages {

  /** An {@code update} notification, already checked to hold at least a pluginId and an address. */
  void onUpdate(JsonArray tuple);

  void onSubLost();

  /** A reply to a call (an id, no method). */
  void onReply(JsonObject reply);

  /** A message the tool cannot make sense of. */
  void onUnreadable(String what);

  /** Parses one message and hands it to the method for its kind. */
  default void dispatch(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (RuntimeException e) {
      onUnreadable("not a JSON object: " + abbreviate(text));
      return;
    }
    Object method = message.getValue("method");
    if ("update".equals(method)) {
      if (message.getValue("params") instanceof JsonArray tuple && tuple.size() >= 2) {
        onUpdate(tuple);
      } else {
        onUnreadable("update without [pluginId, address, checkpoint]");
      }
    } else if ("subLost".equals(method)) {
      onSubLost();
    } else if (method == null && message.containsKey("id")) {
      onReply(message);
    } else {
      onUnreadable("unexpected message: " + abbreviate(text));
    }
  }

  /** The index of the address an update names if it is one of socket {@code socket}'s M addresses, else -1. */
  static int addressIndex(JsonArray tuple, int socket, LoadPlan plan, AddressScheme scheme) {
    int index = tuple.getValue(1) instanceof String address && plan.pluginId().equals(tuple.getValue(0))
      ? scheme.indexOf(socket, address) : -1;
    return index < plan.addresses() ? index : -1;
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
