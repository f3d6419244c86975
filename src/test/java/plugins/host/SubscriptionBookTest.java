package plugins.host;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionBookTest {

  private final SubscriptionBook book = new SubscriptionBook();

  @Test
  void firstSubscriberStartsAWatchAndLastOneEndsIt() {
    assertThat(book.add("hubA.1", "0xabc", "0xABC")).isTrue();
    assertThat(book.add("hubA.2", "0xabc", "0xAbc")).isFalse();
    assertThat(book.remove("hubA.1", "0xabc")).isFalse();
    assertThat(book.remove("hubA.2", "0xabc")).isTrue();
    assertThat(book.watchedAddresses()).isZero();
    assertThat(book.subscriptions()).isZero();
    assertThat(book.connections()).isZero();
  }

  @Test
  void eachConnectionKeepsTheExactStringItSubscribedWith() {
    book.add("hubA.1", "0xabc", "0xABC");
    book.add("hubA.2", "0xabc", "0xabc");
    assertThat(book.subscribers("0xabc")).isEqualTo(Map.of("hubA.1", "0xABC", "hubA.2", "0xabc"));
  }

  @Test
  void addIsIdempotentAndUnknownRemovesAreIgnored() {
    book.add("hubA.1", "a", "a");
    book.add("hubA.1", "a", "a");
    assertThat(book.subscriptions()).isEqualTo(1);
    assertThat(book.remove("hubA.1", "b")).isFalse();
    assertThat(book.remove("hubA.9", "a")).isFalse();
    assertThat(book.subscriptions()).isEqualTo(1);
  }

  @Test
  void closingAConnectionReturnsOnlyTheAddressesNobodyElseWatches() {
    book.add("hubA.1", "a", "a");
    book.add("hubA.1", "b", "b");
    book.add("hubA.2", "b", "b");
    assertThat(book.removeConnection("hubA.1")).containsExactly("a");
    assertThat(book.subscribers("b")).containsOnlyKeys("hubA.2");
    assertThat(book.removeConnection("hubA.1")).isEmpty();
  }

  @Test
  void aHubLeavingDropsAllOfItsConnectionsAndNoOtherHubs() {
    book.add("node-1.1", "a", "a");
    book.add("node-1.2", "b", "b");
    book.add("node-2.1", "b", "b");
    assertThat(book.removeHub("node-1")).containsExactly("a");
    assertThat(book.connections()).isEqualTo(1);
    assertThat(book.subscriptions()).isEqualTo(1);
  }

  @Test
  void removingAnAddressDropsEverySubscriberOfIt() {
    book.add("hubA.1", "a", "A");
    book.add("hubA.2", "a", "a");
    book.add("hubA.2", "b", "b");
    assertThat(book.removeAddress("a")).isEqualTo(Map.of("hubA.1", "A", "hubA.2", "a"));
    assertThat(book.connections()).isEqualTo(1);
    assertThat(book.subscriptions()).isEqualTo(1);
    assertThat(book.subscribers("a")).isEmpty();
    assertThat(book.addresses()).containsExactly("b");
  }

  @Test
  void anAddressGoingFromSeveralSubscribersBackToOneKeepsTheSurvivorsExactString() {
    book.add("hubA.1", "0xabc", "0xABC");
    book.add("hubA.2", "0xabc", "0xAbC");
    book.add("hubA.3", "0xabc", "0xabc");
    assertThat(book.remove("hubA.1", "0xabc")).isFalse();
    assertThat(book.remove("hubA.3", "0xabc")).isFalse();
    assertThat(book.subscribers("0xabc")).isEqualTo(Map.of("hubA.2", "0xAbC"));
    assertThat(book.add("hubA.2", "0xabc", "0xABc")).as("a repeat refreshes the string, starts no watch").isFalse();
    assertThat(book.subscribers("0xabc")).isEqualTo(Map.of("hubA.2", "0xABc"));
    assertThat(book.subscriptions()).isEqualTo(1);
    assertThat(book.removeConnection("hubA.2")).containsExactly("0xabc");
    assertThat(book.watchedAddresses()).isZero();
  }
}
