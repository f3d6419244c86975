package plugins.blockbook;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The pending transactions checked at each block are bounded: each costs a request per block. */
class PendingTxsTest {

  @Test
  void aNewTransactionOverTheCapIsNotKeptButOneAlreadyPendingTakesMoreAddresses() {
    PendingTxs pending = new PendingTxs(2);
    assertThat(pending.add("t1", "a")).isTrue();
    assertThat(pending.add("t2", "b")).isTrue();
    assertThat(pending.add("t3", "c")).as("a third transaction over the cap of 2").isFalse();
    assertThat(pending.add("t1", "d")).as("another address of a pending transaction").isTrue();
    assertThat(pending.txids()).containsExactlyInAnyOrder("t1", "t2");

    assertThat(pending.remove("t1")).containsExactlyInAnyOrder("a", "d");
    assertThat(pending.add("t3", "c")).as("room again once one is confirmed").isTrue();
    pending.remove("t2", "b");
    assertThat(pending.txids()).containsExactly("t3");
    assertThat(pending.remove("t9")).isEqualTo(Set.of());
  }
}
