package api;

import api.wire.JsonTextCodec;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The codecs of the contract's records ({@link JsonTextCodec}): registered once per Vert.x instance by everything that
 * sends or serves them, so that a record can be sent as it is and crosses the cluster as DESIGN.md's JSON.
 */
public final class BusCodecs {

  public static final JsonTextCodec<SubscribeRequest> SUBSCRIBE =
    new JsonTextCodec<>("changeserver.subscribe", SubscribeRequest::write, SubscribeRequest::read);
  public static final JsonTextCodec<SubscribeReply> SUBSCRIBE_REPLY =
    new JsonTextCodec<>("changeserver.subscribeReply", SubscribeReply::write, SubscribeReply::read);
  public static final JsonTextCodec<UnsubscribeRequest> UNSUBSCRIBE =
    new JsonTextCodec<>("changeserver.unsubscribe", UnsubscribeRequest::write, UnsubscribeRequest::read);
  public static final JsonTextCodec<ConnectionClosed> CONNECTION_CLOSED =
    new JsonTextCodec<>("changeserver.connectionClosed", ConnectionClosed::write, ConnectionClosed::read);
  public static final JsonTextCodec<EventBatch> EVENTS =
    new JsonTextCodec<>("changeserver.events", EventBatch::write, EventBatch::read);
  public static final JsonTextCodec<PluginAnnouncement> ANNOUNCEMENT =
    new JsonTextCodec<>("changeserver.announcement", PluginAnnouncement::write, PluginAnnouncement::read);
  public static final JsonTextCodec<PluginStats> STATS =
    new JsonTextCodec<>("changeserver.stats", PluginStats::write, PluginStats::read);
  /** JVM-local only: passes by reference, but a local message needs a codec all the same. */
  public static final JsonTextCodec<MemberChange> MEMBER_CHANGE =
    new JsonTextCodec<>("changeserver.memberChange", (change, out) -> {
      throw new java.io.IOException("a member change never leaves its JVM");
    }, in -> {
      throw new java.io.IOException("a member change never leaves its JVM");
    });

  private BusCodecs() {
  }

  /** Idempotent: hubs, plugins and chain workers may share one Vert.x instance (inline topology, tests). */
  public static void register(Vertx vertx) {
    registerDefault(vertx, SubscribeRequest.class, SUBSCRIBE);
    registerDefault(vertx, SubscribeReply.class, SUBSCRIBE_REPLY);
    registerDefault(vertx, UnsubscribeRequest.class, UNSUBSCRIBE);
    registerDefault(vertx, ConnectionClosed.class, CONNECTION_CLOSED);
    registerDefault(vertx, EventBatch.class, EVENTS);
    registerDefault(vertx, PluginAnnouncement.class, ANNOUNCEMENT);
    registerDefault(vertx, PluginStats.class, STATS);
    registerDefault(vertx, MemberChange.class, MEMBER_CHANGE);
  }

  /**
   * Registers {@code codec} as the default for {@code type} unless this Vert.x instance has it already. Synchronized:
   * verticle instances start on several event loops at once, and none may send before the codec is in.
   */
  public static synchronized <T> void registerDefault(Vertx vertx, Class<T> type, MessageCodec<T, ?> codec) {
    if (vertx.sharedData().getLocalMap("changeserver.codecs").putIfAbsent(codec.name(), true) == null) {
      vertx.eventBus().registerDefaultCodec(type, codec);
    }
  }
}
