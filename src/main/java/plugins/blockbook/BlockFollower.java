package plugins.blockbook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import plugins.blockbook.upstream.BlockbookSocket;
import plugins.blockbook.upstream.UpstreamLink;

import java.util.function.LongConsumer;

/**
 * The chain's one {@code subscribeNewBlock} connection: reports the tip from {@code getInfo} when (re)connected, then
 * every new block. After a reorg the same or a lower height can arrive; it is reported as is.
 */
final class BlockFollower implements UpstreamLink.Owner {

  private final UpstreamLink link;
  private final LongConsumer onBlock;

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

  @Override
  public Future<Void> connected(BlockbookSocket socket) {
    return socket.request("getInfo", new JsonObject()).compose(info -> {
      Long best = info.getLong("bestHeight");
      if (best != null) {
        onBlock.accept(best);
      }
      return socket.subscribe("subscribeNewBlock", new JsonObject(), this::notified).mapEmpty();
    });
  }

  @Override
  public void disconnected() {
    // Nothing is lost with the block connection: address connections carry their own notifications, and the next
    // getInfo brings the tip back.
  }

  private void notified(JsonObject data) {
    Long height = data.getLong("height");
    if (height != null) {
      onBlock.accept(height);
    }
  }
}
