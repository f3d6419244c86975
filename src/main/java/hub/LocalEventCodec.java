package hub;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands {@link ConnectionEvents} from the hub's inbox to their socket by reference. The connection addresses are local to
 * the hub JVM, so nothing crosses a process boundary (the cluster hop carries JSON); the record is immutable, so
 * sharing it is safe, and it saves a JSON copy and parse per update.
 */
final class LocalEventCodec implements MessageCodec<ConnectionEvents, ConnectionEvents> {

  @Override
  public void encodeToWire(Buffer buffer, ConnectionEvents events) {
    throw new UnsupportedOperationException("connection events never leave the hub JVM");
  }

  @Override
  public ConnectionEvents decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("connection events never leave the hub JVM");
  }

  @Override
  public ConnectionEvents transform(ConnectionEvents events) {
    return events;
  }

  @Override
  public String name() {
    return "changeserver.localChangeEvent";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
