package api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The contract's records cross the cluster as DESIGN.md's JSON, byte for byte, and come back equal. */
class BusCodecsTest {

  @Test
  void subscribeRequestIsDesignJson() {
    SubscribeRequest request = new SubscribeRequest("hub1.7", List.of(new Subscription("abc", "12"), new Subscription("déf", null)));
    assertEquals("{\"connectionId\":\"hub1.7\",\"addresses\":[{\"address\":\"abc\",\"checkpoint\":\"12\"},{\"address\":\"déf\"}]}",
      text(BusCodecs.SUBSCRIBE.toBytes(request)));
    assertEquals(request, overTheWire(BusCodecs.SUBSCRIBE, request));
  }

  @Test
  void subscribeReplyKeepsOrder() {
    int[] results = new int[40];
    Arrays.setAll(results, i -> i % 4 - 1);
    assertEquals("{\"results\":[-1,0,1]}", text(BusCodecs.SUBSCRIBE_REPLY.toBytes(new SubscribeReply(new int[] {-1, 0, 1}))));
    assertArrayEquals(results, overTheWire(BusCodecs.SUBSCRIBE_REPLY, new SubscribeReply(results)).results());
    assertArrayEquals(new int[0], overTheWire(BusCodecs.SUBSCRIBE_REPLY, new SubscribeReply(new int[0])).results());
  }

  @Test
  void unsubscribeAndCloseAreDesignJson() {
    UnsubscribeRequest unsubscribe = new UnsubscribeRequest("hub1.7", List.of("a", "b"));
    assertEquals("{\"connectionId\":\"hub1.7\",\"addresses\":[\"a\",\"b\"]}", text(BusCodecs.UNSUBSCRIBE.toBytes(unsubscribe)));
    assertEquals(unsubscribe, overTheWire(BusCodecs.UNSUBSCRIBE, unsubscribe));
    assertEquals("{\"connectionId\":\"hub1.7\"}", text(BusCodecs.CONNECTION_CLOSED.toBytes(new ConnectionClosed("hub1.7"))));
    assertEquals(new ConnectionClosed("hub1.7"), overTheWire(BusCodecs.CONNECTION_CLOSED, new ConnectionClosed("hub1.7")));
  }

  @Test
  void eventBatchIsDesignJson() {
    EventBatch batch = new EventBatch(List.of(
      ChangeEvent.update("hub1.7", "fake", "abc", null),
      ChangeEvent.subLost("hub1.8", "bitcoin", "bc1q", "i-2"),
      ChangeEvent.update("hub1.8", "ethereum", "0xAb", "19000000")));
    assertEquals("{\"events\":["
        + "{\"connectionId\":\"hub1.7\",\"type\":\"update\",\"pluginId\":\"fake\",\"address\":\"abc\"},"
        + "{\"connectionId\":\"hub1.8\",\"type\":\"subLost\",\"pluginId\":\"bitcoin\",\"address\":\"bc1q\",\"instanceId\":\"i-2\"},"
        + "{\"connectionId\":\"hub1.8\",\"type\":\"update\",\"pluginId\":\"ethereum\",\"address\":\"0xAb\",\"checkpoint\":\"19000000\"}]}",
      text(BusCodecs.EVENTS.toBytes(batch)));
    assertEquals(batch, overTheWire(BusCodecs.EVENTS, batch));
  }

  @Test
  void handoversAreMarkedOnlyWhenTheyAreOne() {
    SubscribeRequest moved = new SubscribeRequest("hub1.7", List.of(new Subscription("abc", "12")), true);
    assertEquals("{\"connectionId\":\"hub1.7\",\"addresses\":[{\"address\":\"abc\",\"checkpoint\":\"12\"}],\"handover\":true}",
      text(BusCodecs.SUBSCRIBE.toBytes(moved)));
    assertEquals(moved, overTheWire(BusCodecs.SUBSCRIBE, moved));
    UnsubscribeRequest released = new UnsubscribeRequest("hub1.7", List.of("abc"), true);
    assertEquals("{\"connectionId\":\"hub1.7\",\"addresses\":[\"abc\"],\"handover\":true}", text(BusCodecs.UNSUBSCRIBE.toBytes(released)));
    assertEquals(released, overTheWire(BusCodecs.UNSUBSCRIBE, released));
  }

  @Test
  void announcementsAndStatsAreDesignJson() {
    PluginAnnouncement announcement = new PluginAnnouncement(List.of("bitcoin", "litecoin"), "i-1", "node-1", "10.0.0.5", InstanceState.DRAINING);
    assertEquals("{\"pluginIds\":[\"bitcoin\",\"litecoin\"],\"instanceId\":\"i-1\",\"nodeId\":\"node-1\",\"host\":\"10.0.0.5\",\"state\":\"draining\"}",
      text(BusCodecs.ANNOUNCEMENT.toBytes(announcement)));
    assertEquals(announcement, overTheWire(BusCodecs.ANNOUNCEMENT, announcement));
    PluginStats fake = new PluginStats("fake", 3, 4, 2, api.plugin.ChainStatus.NO_UPSTREAM);
    assertEquals("{\"pluginId\":\"fake\",\"watchedAddresses\":3,\"subscriptions\":4,\"connections\":2}", text(BusCodecs.STATS.toBytes(fake)));
    PluginStats chain = new PluginStats("litecoin", 1, 1, 1, new api.plugin.ChainStatus(120, 118, true, 3, 1));
    assertEquals("{\"pluginId\":\"litecoin\",\"watchedAddresses\":1,\"subscriptions\":1,\"connections\":1,\"headHeight\":120,"
      + "\"processedHeight\":118,\"lagBlocks\":2,\"upstreamUp\":true,\"upstreamErrors\":3,\"upstreamReconnects\":1}", text(BusCodecs.STATS.toBytes(chain)));
    assertEquals(chain, overTheWire(BusCodecs.STATS, chain));
    assertEquals(fake, overTheWire(BusCodecs.STATS, fake));
    assertThrows(DecodeException.class, () -> read(BusCodecs.ANNOUNCEMENT, "{\"instanceId\":\"i\",\"nodeId\":\"n\",\"state\":\"sleeping\"}"));
  }

  @Test
  void readersSkipFieldsTheyDoNotKnowAndTakeAnyOrder() {
    String json = "{\"extra\":{\"nested\":[1,{\"x\":null}]},\"addresses\":[{\"checkpoint\":null,\"address\":\"a\",\"more\":[]}],"
      + "\"connectionId\":\"h.1\"}";
    assertEquals(new SubscribeRequest("h.1", List.of(new Subscription("a", null))), read(BusCodecs.SUBSCRIBE, json));
  }

  @Test
  void malformedBodiesAreDecodeErrors() {
    assertThrows(DecodeException.class, () -> read(BusCodecs.SUBSCRIBE, "{\"addresses\":[]}"));
    assertThrows(DecodeException.class, () -> read(BusCodecs.SUBSCRIBE, "{\"connectionId\":\"h.1\",\"addresses\":[{\"address\":1}]}"));
    assertThrows(DecodeException.class, () -> read(BusCodecs.SUBSCRIBE, "{\"connectionId\":\"h.1\",\"addresses\":["));
    assertThrows(DecodeException.class, () -> read(BusCodecs.SUBSCRIBE_REPLY, "{\"results\":[\"1\"]}"));
    assertThrows(DecodeException.class, () -> read(BusCodecs.EVENTS, "{\"events\":[{\"connectionId\":\"h.1\",\"type\":\"update\"}]}"));
    assertThrows(DecodeException.class, () -> read(BusCodecs.EVENTS, "{\"events\":[{\"connectionId\":\"h.1\",\"type\":\"gone\",\"pluginId\":\"p\",\"address\":\"a\"}]}"));
    assertThrows(DecodeException.class, () -> read(BusCodecs.CONNECTION_CLOSED, "[]"));
  }

  private static <T> T overTheWire(api.wire.JsonTextCodec<T> codec, T value) {
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, value);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  private static <T> T read(api.wire.JsonTextCodec<T> codec, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return codec.fromBytes(bytes, 0, bytes.length);
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }
}
