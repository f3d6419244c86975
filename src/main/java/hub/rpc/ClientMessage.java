package hub.rpc;

/** What one WebSocket message from a client decodes to: a call the hub serves, or a ready-made error reply. */
public sealed interface ClientMessage permits SubscribeCall, UnsubscribeCall, Rejected {
}
