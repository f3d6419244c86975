package plugins.alchemy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Alchemy's Notify API, the calls this plugin makes: team-webhooks (GET), create-webhook (POST, ADDRESS_ACTIVITY) and
 * update-webhook-addresses (PATCH). Authenticated with the team's token in {@code X-Alchemy-Token}.
 */
final class NotifyApi {

  /**
   * "Each list can have at most 500 addresses" (update-webhook-addresses, alchemy.com/docs/data/webhooks/
   * webhooks-api-endpoints/update-webhook-addresses; also create-webhook's and the replace call's address list).
   */
  static final int MAX_ADDRESSES_PER_CALL = 500;

  private final JsonHttp http;
  private final String baseUrl;
  private final Map<String, String> auth;

  NotifyApi(JsonHttp http, String baseUrl, String authToken) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.auth = Map.of("X-Alchemy-Token", authToken);
  }

  /** A webhook as the API describes it (the fields used here). */
  record Webhook(String id, String network, String type, String url, boolean active, String signingKey) {
    static Webhook fromJson(JsonObject json) {
      return new Webhook(json.getString("id"), json.getString("network"), json.getString("webhook_type"), json.getString("webhook_url"),
        json.getBoolean("is_active", true), json.getString("signing_key"));
    }
  }

  Future<List<Webhook>> teamWebhooks() {
    return http.call(HttpMethod.GET, baseUrl + "/team-webhooks", auth, null)
      .map(reply -> reply.getJsonArray("data", new JsonArray()).stream().map(JsonObject.class::cast).map(Webhook::fromJson).toList());
  }

  Future<Webhook> createWebhook(String network, String url, Collection<String> addresses) {
    JsonObject body = new JsonObject().put("network", network).put("webhook_type", "ADDRESS_ACTIVITY").put("webhook_url", url)
      .put("addresses", new JsonArray(List.copyOf(addresses)));
    return http.call(HttpMethod.POST, baseUrl + "/create-webhook", auth, body).map(reply -> Webhook.fromJson(reply.getJsonObject("data")));
  }

  /** One page of a webhook's addresses and the cursor of the next (null on the last page). */
  record AddressPage(List<String> addresses, String after) {
  }

  Future<AddressPage> webhookAddresses(String webhookId, int limit, String after) {
    String query = "?webhook_id=" + encode(webhookId) + "&limit=" + limit + (after == null ? "" : "&after=" + encode(after));
    return http.call(HttpMethod.GET, baseUrl + "/webhook-addresses" + query, auth, null).map(reply -> {
      List<String> addresses = reply.getJsonArray("data", new JsonArray()).stream().map(String.class::cast).toList();
      JsonObject cursors = reply.getJsonObject("pagination", new JsonObject()).getJsonObject("cursors", new JsonObject());
      String next = cursors.getString("after");
      return new AddressPage(addresses, addresses.isEmpty() || next == null || next.isEmpty() ? null : next);
    });
  }

  Future<Void> updateAddresses(String webhookId, Collection<String> add, Collection<String> remove) {
    JsonObject body = new JsonObject().put("webhook_id", webhookId)
      .put("addresses_to_add", new JsonArray(List.copyOf(add))).put("addresses_to_remove", new JsonArray(List.copyOf(remove)));
    return http.call(HttpMethod.PATCH, baseUrl + "/update-webhook-addresses", auth, body).mapEmpty();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
