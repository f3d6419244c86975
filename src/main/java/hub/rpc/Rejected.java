package hub.rpc;

/** A message that is not a call the hub serves; {@code reply} is the encoded JSON-RPC error to send back. */
public record Rejected(String reply) implements ClientMessage {
}
