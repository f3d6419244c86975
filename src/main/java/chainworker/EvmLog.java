package chainworker;

import java.util.List;

/** A log's topics (topic0 = the event signature), as the node returned them. */
record EvmLog(List<String> topics) {

  /** The topic at {@code index}, or null when the log has fewer. */
  String topic(int index) {
    return index < topics.size() ? topics.get(index) : null;
  }
}
