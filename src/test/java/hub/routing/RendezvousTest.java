package hub.routing;

import api.InstanceState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Owners by rendezvous hashing: the same for every hub, case-blind, balanced, and only ~1/n move on a change. */
class RendezvousTest {

  private static final int ADDRESSES = 20_000;

  @Test
  void everyHubPicksTheSameOwnerWhateverTheOrderOfItsInstances() {
    List<PluginInstance> one = instances("a", "b", "c");
    List<PluginInstance> other = new ArrayList<>(List.of(instance("c"), instance("a"), instance("b")));
    for (int i = 0; i < 1_000; i++) {
      assertThat(Rendezvous.owner(other, "addr" + i).instanceId()).isEqualTo(Rendezvous.owner(one, "addr" + i).instanceId());
    }
  }

  @Test
  void everyCasingOfAnEvmAddressHasOneOwner() {
    List<PluginInstance> five = instances("a", "b", "c", "d", "e");
    String address = "0x52908400098527886E0F7030069857D2E4169EE7";
    assertThat(Rendezvous.owner(five, address.toLowerCase())).isSameAs(Rendezvous.owner(five, address));
    assertThat(Rendezvous.owner(five, "0x52908400098527886e0f7030069857d2e4169EE7")).isSameAs(Rendezvous.owner(five, address));
  }

  @Test
  void addressesSpreadEvenly() {
    List<PluginInstance> four = instances("a", "b", "c", "d");
    Map<String, Integer> owned = ownership(four);
    assertThat(owned.values()).allSatisfy(count -> assertThat(count).isBetween(ADDRESSES / 4 * 9 / 10, ADDRESSES / 4 * 11 / 10));
  }

  @Test
  void aJoinTakesOnlyItsShareAndALeaveMovesOnlyWhatTheLeaverHeld() {
    List<PluginInstance> three = instances("a", "b", "c");
    List<PluginInstance> four = new ArrayList<>(three);
    four.add(instance("d"));
    int moved = 0;
    for (int i = 0; i < ADDRESSES; i++) {
      String address = "bc1q" + i;
      PluginInstance before = Rendezvous.owner(three, address);
      PluginInstance after = Rendezvous.owner(four, address);
      if (before != after) {
        moved++;
        assertThat(after.instanceId()).isEqualTo("d");
      }
    }
    assertThat(moved).isBetween(ADDRESSES / 4 * 9 / 10, ADDRESSES / 4 * 11 / 10);
    // "b" leaves: only its addresses change owner.
    List<PluginInstance> withoutB = List.of(three.get(0), three.get(2));
    for (int i = 0; i < ADDRESSES; i++) {
      String address = "bc1q" + i;
      PluginInstance before = Rendezvous.owner(three, address);
      if (before.instanceId().equals("b")) {
        assertThat(Rendezvous.owner(withoutB, address).instanceId()).isNotEqualTo("b");
      } else {
        assertThat(Rendezvous.owner(withoutB, address)).isSameAs(before);
      }
    }
  }

  @Test
  void theHashIsFixed() {
    // Hubs of one cluster may run different builds: the function must never change silently.
    assertThat(Rendezvous.keyHash("0xABC")).isEqualTo(Rendezvous.keyHash("0xabc"));
    assertThat(Rendezvous.weight(Rendezvous.seed("instance-1"), Rendezvous.keyHash("addr"))).isEqualTo(WEIGHT_OF_ADDR_AT_INSTANCE_1);
  }

  private static final long WEIGHT_OF_ADDR_AT_INSTANCE_1 = 5673379451238472754L;

  private static Map<String, Integer> ownership(List<PluginInstance> instances) {
    Map<String, Integer> owned = new HashMap<>();
    for (int i = 0; i < ADDRESSES; i++) {
      owned.merge(Rendezvous.owner(instances, "bc1q" + i).instanceId(), 1, Integer::sum);
    }
    return owned;
  }

  private static List<PluginInstance> instances(String... ids) {
    List<PluginInstance> instances = new ArrayList<>();
    for (String id : ids) {
      instances.add(instance(id));
    }
    return instances;
  }

  private static PluginInstance instance(String id) {
    return new PluginInstance(id, "node-" + id, "host", List.of("fake"), InstanceState.UP);
  }
}
