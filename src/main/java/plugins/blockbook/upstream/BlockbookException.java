package plugins.blockbook.upstream;

/** A request that failed: an error reply from Blockbook, a timeout, a closed connection or an exhausted budget. */
public final class BlockbookException extends RuntimeException {

  /** Why the request failed; only {@link #SERVER_ERROR} is an answer from Blockbook about the request itself. */
  public enum Kind { SERVER_ERROR, TIMEOUT, CLOSED, BUDGET }

  private final Kind kind;

  public BlockbookException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
