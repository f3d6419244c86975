package hub;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import testkit.InlineHub;
import testkit.RawWebSocket;
import testkit.WsTestClient;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Behind proxies: {@code hub.proxyProtocol} makes the address of a PROXY header (v1 or v2) the client's, for its
 * budgets; {@code hub.trustedProxies} ranges decide whose {@code X-Forwarded-For} is believed. All traffic goes to
 * loopback: the headers only claim the addresses.
 */
@ExtendWith(VertxExtension.class)
class HubProxyTest {

  private static final String OVER_BUDGET =
    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"Subscription limit reached: at most 3 per client address\"},\"id\":2}";

  private final List<RawWebSocket> sockets = new ArrayList<>();
  private InlineHub hub;

  @AfterEach
  void close() throws IOException {
    for (RawWebSocket socket : sockets) {
      socket.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void eachProxyProtocolAddressHasItsOwnBudgetWhateverTheHeaderVersion(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, budgetOfThree().put("proxyProtocol", true));
    RawWebSocket v1 = connect(RawWebSocket.proxyV1("203.0.113.7", 40001, hub.port()), "");
    RawWebSocket v2 = connect(RawWebSocket.proxyV2(InetAddress.getByName("198.51.100.9"), 40002, hub.port()), "");
    RawWebSocket v2ipv6 = connect(RawWebSocket.proxyV2(InetAddress.getByName("2001:db8::5"), 40003, hub.port()), "");
    RawWebSocket v1ipv6 = connect(RawWebSocket.proxyV1("2001:db8::6", 40004, hub.port()), "");
    for (RawWebSocket client : List.of(v1, v2, v2ipv6, v1ipv6)) {
      assertThat(call(client, subscribeMany(1, "a", 3))).as("each address its own budget").isEqualTo(ones(1));
    }
    RawWebSocket sameAsV1 = connect(RawWebSocket.proxyV2(InetAddress.getByName("203.0.113.7"), 40005, hub.port()), "");
    assertThat(call(sameAsV1, subscribeMany(2, "b", 1))).as("another connection of the first address shares its budget")
      .isEqualTo(OVER_BUDGET);
    RawWebSocket sameAsV2 = connect(RawWebSocket.proxyV1("198.51.100.9", 40006, hub.port()), "");
    assertThat(call(sameAsV2, subscribeMany(2, "b", 1))).isEqualTo(OVER_BUDGET);
    assertThat(hub.pluginStats().subscriptions()).isEqualTo(4 * 3);
  }

  @Test
  void withTheProxyProtocolOnAConnectionWithoutItsHeaderGetsNoWebSocket(Vertx vertx) {
    hub = InlineHub.deploy(vertx, budgetOfThree().put("proxyProtocol", true));
    assertThatThrownBy(() -> connect(new byte[0], "")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> hub.connect()).isInstanceOf(AssertionError.class);
  }

  @Test
  void forwardedForIsBelievedFromATrustedRangeOnly(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, budgetOfThree().put("trustedProxies", new JsonArray().add("10.0.0.0/8").add("127.0.0.0/8")));
    WsTestClient first = hub.connect(Map.of("X-Forwarded-For", "203.0.113.1, 10.20.30.40"));
    WsTestClient second = hub.connect(Map.of("X-Forwarded-For", "198.51.100.1"));
    assertThat(first.call(subscribeMany(1, "a", 3))).as("the right-most entry outside the trusted ranges").isEqualTo(ones(1));
    assertThat(second.call(subscribeMany(1, "a", 3))).isEqualTo(ones(1));
    WsTestClient spoofing = hub.connect(Map.of("X-Forwarded-For", "192.0.2.66, 203.0.113.1"));
    assertThat(spoofing.call(subscribeMany(2, "b", 1))).as("what the client wrote left of its real address is not believed")
      .isEqualTo(OVER_BUDGET);
  }

  @Test
  void forwardedForFromOutsideTheTrustedRangesIsIgnored(Vertx vertx) {
    hub = InlineHub.deploy(vertx, budgetOfThree().put("trustedProxies", new JsonArray().add("10.0.0.0/8").add("::1/128")));
    WsTestClient first = hub.connect(Map.of("X-Forwarded-For", "203.0.113.1"));
    WsTestClient second = hub.connect(Map.of("X-Forwarded-For", "198.51.100.1"));
    assertThat(first.call(subscribeMany(1, "a", 3))).isEqualTo(ones(1));
    assertThat(second.call(subscribeMany(2, "b", 1))).as("both are 127.0.0.1, which is not trusted").isEqualTo(OVER_BUDGET);
  }

  @Test
  void behindTheProxyProtocolForwardedForIsBelievedOnlyWhenItsAddressIsTrusted(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, budgetOfThree().put("proxyProtocol", true).put("trustedProxies", new JsonArray().add("10.0.0.0/8")));
    // An HTTP proxy at 10.1.2.3 in front of a TCP load balancer: its header names the wallets.
    RawWebSocket wallet = connect(RawWebSocket.proxyV1("10.1.2.3", 40001, hub.port()), "X-Forwarded-For: 203.0.113.1\r\n");
    RawWebSocket otherWallet = connect(RawWebSocket.proxyV2(InetAddress.getByName("10.1.2.3"), 40002, hub.port()),
      "X-Forwarded-For: 198.51.100.1\r\n");
    assertThat(call(wallet, subscribeMany(1, "a", 3))).isEqualTo(ones(1));
    assertThat(call(otherWallet, subscribeMany(1, "a", 3))).as("the trusted proxy's clients each have their budget").isEqualTo(ones(1));
    // A client straight at the load balancer: it wrote the header itself.
    RawWebSocket direct = connect(RawWebSocket.proxyV1("192.0.2.1", 40003, hub.port()), "X-Forwarded-For: 192.0.2.10\r\n");
    RawWebSocket directAgain = connect(RawWebSocket.proxyV1("192.0.2.1", 40004, hub.port()), "X-Forwarded-For: 192.0.2.11\r\n");
    assertThat(call(direct, subscribeMany(1, "a", 3))).isEqualTo(ones(1));
    assertThat(call(directAgain, subscribeMany(2, "b", 1))).as("counted under its PROXY address, header ignored").isEqualTo(OVER_BUDGET);
  }

  private RawWebSocket connect(byte[] proxyHeader, String headerLines) throws IOException {
    RawWebSocket socket = RawWebSocket.connect(hub.port(), proxyHeader, headerLines);
    sockets.add(socket);
    return socket;
  }

  private static String call(RawWebSocket socket, String text) throws IOException {
    socket.sendText(text);
    return socket.nextText();
  }

  private static JsonObject budgetOfThree() {
    return new JsonObject().put("limits", new JsonObject().put("maxSubscriptionsPerIp", 3));
  }

  private static String ones(int id) {
    return "{\"jsonrpc\":\"2.0\",\"result\":[1,1,1],\"id\":" + id + "}";
  }

  private static String subscribeMany(int id, String prefix, int count) {
    JsonArray params = new JsonArray();
    for (int i = 0; i < count; i++) {
      params.add(new JsonArray().add("fake").add(prefix + i));
    }
    return new JsonObject().put("jsonrpc", "2.0").put("method", "subscribe").put("params", params).put("id", id).encode();
  }
}
