package hub;

import api.ChangeEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands a {@link ChangeEvent} from the hub's inbox to its socket by reference. The connection addresses are local to
 * the hub JVM, so nothing crosses a process boundary (the cluster hop carries JSON); the record is immutable, so
 * sharing it is safe, and it saves a JSON copy and parse per update.
 */
final class LocalEventCodec implements MessageCodec<ChangeEvent, ChangeEvent> {

  @Override
  public void encodeToWire(Buffer buffer, ChangeEvent event) {
    throw new UnsupportedOperationException("connection events never leave the hub JVM");
  }

  @Override
  public ChangeEvent decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("connection events never leave the hub JVM");
  }

  @Override
  public ChangeEvent transform(ChangeEvent event) {
    return event;
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
