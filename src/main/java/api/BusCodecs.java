package api;

import api.wire.JsonTextCodec;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

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

  private BusCodecs() {
  }

  /** Idempotent: hubs, plugins and chain workers may share one Vert.x instance (inline topology, tests). */
  public static synchronized void register(Vertx vertx) {
    if (vertx.sharedData().getLocalMap("changeserver").putIfAbsent("busCodecs", true) != null) {
      return;
    }
    EventBus bus = vertx.eventBus();
    bus.registerDefaultCodec(SubscribeRequest.class, SUBSCRIBE);
    bus.registerDefaultCodec(SubscribeReply.class, SUBSCRIBE_REPLY);
    bus.registerDefaultCodec(UnsubscribeRequest.class, UNSUBSCRIBE);
    bus.registerDefaultCodec(ConnectionClosed.class, CONNECTION_CLOSED);
    bus.registerDefaultCodec(EventBatch.class, EVENTS);
  }
}
