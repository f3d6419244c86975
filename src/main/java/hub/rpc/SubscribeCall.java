package hub.rpc;

import java.util.List;

/** A valid {@code subscribe} call; {@code id} is a String, an integral Number or null, as the client sent it. */
public record SubscribeCall(Object id, List<Tuple> tuples) implements ClientMessage {
}
