package hub.rpc;

import java.util.List;

/** A valid {@code unsubscribe} call; tuple checkpoints are ignored. */
public record UnsubscribeCall(Object id, List<Tuple> tuples) implements ClientMessage {
}
