package api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeIdsTest {

  private static final String HUB = "c860162b-4f86-41b3-b540-43631cfbb964";

  @Test
  void aConnectionIdNamesItsHubAndItsClientButNotTheClientsAddress() {
    String first = NodeIds.newConnectionId(HUB, 7);
    String second = NodeIds.newConnectionId(HUB, 7);
    String other = NodeIds.newConnectionId(HUB, 8);
    assertThat(first).isNotEqualTo(second);
    assertThat(NodeIds.hubOf(first)).isEqualTo(HUB);
    assertThat(NodeIds.clientOf(first)).isEqualTo(NodeIds.clientOf(second)).isEqualTo(HUB + ".7");
    assertThat(NodeIds.clientOf(other)).isEqualTo(HUB + ".8");
    assertThat(NodeIds.hubOf(NodeIds.clientOf(first))).isEqualTo(HUB);
  }

  @Test
  void aConnectionIdOfAnotherShapeIsItsOwnClient() {
    assertThat(NodeIds.clientOf(HUB + ".1")).isEqualTo(HUB + ".1");
    assertThat(NodeIds.clientOf("hub.c1")).isEqualTo("hub.c1");
  }
}
