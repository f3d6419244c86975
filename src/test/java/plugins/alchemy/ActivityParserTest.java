package plugins.alchemy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ActivityParserTest {

  private static final String A = "0x52908400098527886e0f7030069857d2e4169ee7";
  private static final String B = "0x8617e340b3d01fa5f11f306f4090fd50e238070d";
  private static final String C = "0x" + "11".repeat(20);

  @Test
  void evmActivitiesGiveTheirPartiesAndTokenTransferPartiesAtTheHighestBlock() {
    JsonObject erc20 = new JsonObject().put("blockNum", "0x20").put("fromAddress", "0x52908400098527886E0F7030069857D2E4169EE7").put("toAddress", C)
      .put("category", "token").put("log", new JsonObject().put("topics", new JsonArray().add("0xddf2").add(topic(B)).add(topic(C))));
    JsonObject external = new JsonObject().put("blockNum", "0x1f").put("fromAddress", C).put("toAddress", A).put("category", "external");
    JsonObject payload = new JsonObject().put("event", new JsonObject().put("activity", new JsonArray().add(erc20).add(external)));
    assertThat(ActivityParser.addresses(payload, false)).isEqualTo(Map.of(A, 32L, B, 32L, C, 32L));
  }

  @Test
  void solanaTransactionsGiveAccountKeysAndTokenOwnersAtTheSlot() {
    String wallet = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
    String owner = "So11111111111111111111111111111111111111112";
    JsonObject tx = new JsonObject()
      .put("transaction", new JsonArray().add(new JsonObject().put("message", new JsonArray().add(new JsonObject().put("account_keys", new JsonArray().add(wallet).add("not base58 0"))))))
      .put("meta", new JsonArray().add(new JsonObject().put("post_token_balances", new JsonArray().add(new JsonObject().put("owner", owner)))));
    JsonObject payload = new JsonObject().put("event", new JsonObject().put("slot", 99).put("transaction", new JsonArray().add(tx)));
    assertThat(ActivityParser.addresses(payload, true)).isEqualTo(Map.of(wallet, 99L, owner, 99L));
  }

  @Test
  void malformedPartsAreSkipped() {
    JsonObject payload = new JsonObject().put("event", new JsonObject().put("activity", new JsonArray().add("x").add(new JsonObject().put("fromAddress", 5))));
    assertThat(ActivityParser.addresses(payload, false)).isEmpty();
    assertThat(ActivityParser.addresses(new JsonObject(), true)).isEmpty();
  }

  private static String topic(String address) {
    return "0x" + "0".repeat(24) + address.substring(2);
  }
}
