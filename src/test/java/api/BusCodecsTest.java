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
      new ChangeEvent("hub1.7", EventType.UPDATE, "fake", "abc", null),
      new ChangeEvent("hub1.8", EventType.SUB_LOST, "bitcoin", "bc1q", null),
      new ChangeEvent("hub1.8", EventType.UPDATE, "ethereum", "0xAb", "19000000")));
    assertEquals("{\"events\":["
        + "{\"connectionId\":\"hub1.7\",\"type\":\"update\",\"pluginId\":\"fake\",\"address\":\"abc\"},"
        + "{\"connectionId\":\"hub1.8\",\"type\":\"subLost\",\"pluginId\":\"bitcoin\",\"address\":\"bc1q\"},"
        + "{\"connectionId\":\"hub1.8\",\"type\":\"update\",\"pluginId\":\"ethereum\",\"address\":\"0xAb\",\"checkpoint\":\"19000000\"}]}",
      text(BusCodecs.EVENTS.toBytes(batch)));
    assertEquals(batch, overTheWire(BusCodecs.EVENTS, batch));
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
