package api.plugin;

/** Checkpoints as the chains with block heights use them: the decimal height of the last block a wallet has seen. */
public final class Checkpoints {

  private Checkpoints() {
  }

  /** The height a checkpoint names, or null when there is none or it is not a non-negative decimal (scan it all). */
  public static Long height(String checkpoint) {
    if (checkpoint == null) {
      return null;
    }
    try {
      long height = Long.parseLong(checkpoint.trim());
      return height < 0 ? null : height;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
