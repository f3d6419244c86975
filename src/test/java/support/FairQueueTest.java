package support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FairQueueTest {

  @Test
  void keysTakeTurnsAndEachKeepsItsOwnOrder() {
    FairQueue<String> queue = new FairQueue<>();
    for (int i = 1; i <= 4; i++) {
      queue.add("heavy", "h" + i);
    }
    queue.add("light", "l1");
    assertThat(queue.poll()).isEqualTo("h1");
    queue.add("late", "x1");
    queue.add("light", "l2");
    List<String> rest = new ArrayList<>();
    for (String item = queue.poll(); item != null; item = queue.poll()) {
      rest.add(item);
    }
    assertThat(rest).containsExactly("l1", "h2", "x1", "l2", "h3", "h4");
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void removingKeysDropsTheirItemsOnly() {
    FairQueue<String> queue = new FairQueue<>();
    queue.add("hubA.1", "a1");
    queue.add("hubB.1", "b1");
    queue.add("hubA.2", "a2");
    queue.add("hubA.1", "a3");
    queue.removeKeys(key -> key.startsWith("hubA."));
    assertThat(queue.poll()).isEqualTo("b1");
    assertThat(queue.poll()).isNull();
    assertThat(queue.isEmpty()).isTrue();
  }
}
