package plugins.alchemy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import support.EvmAddress;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses an Address Activity delivery concerns, each with the highest block (decimal) it was seen at.
 *
 * <p>EVM ({@code event.activity[]}): {@code fromAddress} and {@code toAddress} of every activity, and for token
 * categories the parties of the Transfer log ({@code log.topics}: from and to in topics 1 and 2; TransferSingle /
 * TransferBatch of ERC-1155 have them in topics 2 and 3), at {@code blockNum} (hex). Solana
 * ({@code event.transaction[]}): every account key of the transaction's message and the owners in its token balances,
 * at the event's {@code slot}.
 */
final class ActivityParser {

  private ActivityParser() {
  }

  static Map<String, Long> addresses(JsonObject payload, boolean solana) {
    JsonObject event = payload.getJsonObject("event", new JsonObject());
    Map<String, Long> found = new HashMap<>();
    if (solana) {
      solana(event, found);
    } else {
      evm(event, found);
    }
    return found;
  }

  private static void evm(JsonObject event, Map<String, Long> found) {
    for (JsonObject activity : objects(event.getJsonArray("activity"))) {
      long block = hexBlock(activity.getString("blockNum"));
      put(found, AddressFormat.normalize(string(activity, "fromAddress"), false), block);
      put(found, AddressFormat.normalize(string(activity, "toAddress"), false), block);
      String category = string(activity, "category");
      JsonObject log = activity.getValue("log") instanceof JsonObject object ? object : null;
      if (log != null && category != null && List.of("token", "erc20", "erc721", "erc1155").contains(category)) {
        List<Object> topics = log.getJsonArray("topics", new JsonArray()).getList();
        int first = "erc1155".equals(category) ? 2 : 1;
        for (int i = first; i < Math.min(first + 2, topics.size()); i++) {
          put(found, topicAddress(topics.get(i)), block);
        }
      }
    }
  }

  private static void solana(JsonObject event, Map<String, Long> found) {
    long slot = event.getValue("slot") instanceof Number number ? number.longValue() : -1;
    for (JsonObject tx : objects(event.getJsonArray("transaction"))) {
      long txSlot = tx.getValue("slot") instanceof Number number ? number.longValue() : slot;
      for (JsonObject inner : objects(tx.getJsonArray("transaction"))) {
        for (JsonObject message : objects(inner.getJsonArray("message"))) {
          for (Object key : message.getJsonArray("account_keys", new JsonArray())) {
            put(found, key instanceof String text ? AddressFormat.solana(text) : null, txSlot);
          }
        }
      }
      for (JsonObject meta : objects(tx.getJsonArray("meta"))) {
        for (String field : List.of("pre_token_balances", "post_token_balances")) {
          for (JsonObject balance : objects(meta.getJsonArray(field))) {
            put(found, AddressFormat.normalize(string(balance, "owner"), true), txSlot);
          }
        }
      }
    }
  }

  private static void put(Map<String, Long> found, String normalized, long block) {
    if (normalized != null) {
      found.merge(normalized, block, Math::max);
    }
  }

  /** A 32-byte topic holding an address in its last 20 bytes. */
  private static String topicAddress(Object topic) {
    return topic instanceof String text ? EvmAddress.normalize(EvmAddress.fromTopic(text)) : null;
  }

  private static long hexBlock(String blockNum) {
    if (blockNum == null || !blockNum.startsWith("0x") || blockNum.length() < 3 || blockNum.length() > 18) {
      return -1;
    }
    try {
      return new BigInteger(blockNum.substring(2), 16).longValue();
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String string(JsonObject object, String key) {
    return object.getValue(key) instanceof String text ? text : null;
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array == null ? List.of() : array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
  }
}
