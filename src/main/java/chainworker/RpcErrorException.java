package chainworker;

/**
 * The node answered, with a JSON-RPC error (unknown method, state not available, limit exceeded…), as opposed to a
 * transport failure: asking the same node again would give the same answer, another node might not.
 */
final class RpcErrorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  RpcErrorException(String method, int code, String message) {
    super(method + " failed: " + code + " " + message, null, false, false);
  }
}
