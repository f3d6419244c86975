package plugins.blockbook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import plugins.blockbook.upstream.BlockbookSocket;
import plugins.blockbook.upstream.UpstreamLink;

import java.util.function.LongConsumer;

/**
 * The chain's one {@code subscribeNewBlock} connection: reports the tip from {@code getInfo} when (re)connected, then
 * every new block. After a reorg the same or a lower height can arrive; it is reported as is. Its connection being up
 * is what the chain's status calls the upstream being up: it is the one connection that is always open.
 */
final class BlockFollower implements UpstreamLink.Owner {

  private final UpstreamLink link;
  private final LongConsumer onBlock;
  // Written on the chain's context; volatile because the chain's status is also read by the metrics scrape.
  private volatile long tip = -1;
  private volatile boolean up;

  BlockFollower(UpstreamLink.Factory links, String pluginId, LongConsumer onBlock) {
    this.onBlock = onBlock;
    this.link = links.create(pluginId + "/blocks", this);
  }

  void start() {
    link.start();
  }

  void stop() {
    link.stop();
  }

  /** The latest tip reported, or -1 before the first. */
  long tip() {
    return tip;
  }

  /** Whether the block connection is open and subscribed. */
  boolean up() {
    return up;
  }

  @Override
  public Future<Void> connected(BlockbookSocket socket) {
    return socket.request("getInfo", new JsonObject()).compose(info -> {
      Long best = info.getLong("bestHeight");
      if (best != null) {
        block(best);
      }
      return socket.subscribe("subscribeNewBlock", new JsonObject(), this::notified).<Void>mapEmpty();
    }).onSuccess(v -> up = true);
  }

  @Override
  public void disconnected() {
    up = false;
    // Nothing is lost with the block connection: address connections carry their own notifications, and the next
    // getInfo brings the tip back.
  }

  private void notified(JsonObject data) {
    Long height = data.getLong("height");
    if (height != null) {
      block(height);
    }
  }

  private void block(long height) {
    tip = height;
    onBlock.accept(height);
  }
}
