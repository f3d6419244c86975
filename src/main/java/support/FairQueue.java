package support;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Items queued per key and taken round-robin across keys, each key's in the order it came: one key with a thousand
 * items waiting delays another key's next item by one of its own, not by a thousand. Not thread-safe (one event loop).
 */
public final class FairQueue<T> {

  /** Keys with items waiting, in the order their turns come (a key served goes to the back). */
  private final LinkedHashMap<String, ArrayDeque<T>> byKey = new LinkedHashMap<>();

  public void add(String key, T item) {
    byKey.computeIfAbsent(key, k -> new ArrayDeque<>(4)).add(item);
  }

  /** The next item in turn, or null when none is waiting. */
  public T poll() {
    Iterator<Map.Entry<String, ArrayDeque<T>>> first = byKey.entrySet().iterator();
    if (!first.hasNext()) {
      return null;
    }
    Map.Entry<String, ArrayDeque<T>> turn = first.next();
    ArrayDeque<T> items = turn.getValue();
    T item = items.poll();
    first.remove();
    if (!items.isEmpty()) {
      byKey.put(turn.getKey(), items);
    }
    return item;
  }

  /** Drops every item of the keys {@code matching} accepts. */
  public void removeKeys(Predicate<String> matching) {
    byKey.keySet().removeIf(matching);
  }

  /** Keys whose items are all taken are dropped, so no key is left without one. */
  public boolean isEmpty() {
    return byKey.isEmpty();
  }
}
