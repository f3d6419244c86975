package plugins.alchemy;

import java.util.LinkedHashMap;
import java.util.Map;

/** The last {@code capacity} event ids seen, oldest forgotten first: a redelivery of any of them is recognised. */
final class RecentIds {

  private final Map<String, Boolean> ids;

  RecentIds(int capacity) {
    this.ids = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** True the first time an id is seen (within the window). */
  boolean firstTime(String id) {
    return ids.putIfAbsent(id, Boolean.TRUE) == null;
  }
}
