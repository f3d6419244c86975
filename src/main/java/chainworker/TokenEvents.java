package chainworker;

import support.EvmAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token events that count as activity and where each keeps its from/to: ERC-20 and ERC-721 {@code Transfer} in
 * topic1/topic2, ERC-1155 {@code TransferSingle}/{@code TransferBatch} in topic2/topic3 (topic1 is the operator).
 */
final class TokenEvents {

  static final String TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
  static final String TRANSFER_SINGLE = "0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62";
  static final String TRANSFER_BATCH = "0x4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb";

  private static final List<String> ERC1155 = List.of(TRANSFER_SINGLE, TRANSFER_BATCH);

  /** Topics of the one per-block query: any of the three events, whoever the parties. */
  static final List<List<String>> ANY_TRANSFER = List.of(List.of(TRANSFER, TRANSFER_SINGLE, TRANSFER_BATCH));

  private TokenEvents() {
  }

  /** The from and to addresses of a token event (lowercase), or nothing for any other log. */
  static List<String> parties(EvmLog log) {
    String topic0 = log.topic(0);
    if (topic0 == null) {
      return List.of();
    }
    if (TRANSFER.equals(topic0)) {
      return addresses(log.topic(1), log.topic(2));
    }
    if (ERC1155.contains(topic0)) {
      return addresses(log.topic(2), log.topic(3));
    }
    return List.of();
  }

  /**
   * Topic filters that together find every token event with the address as a party. Three, not four: topic2 holds
   * {@code Transfer}'s to and the ERC-1155 events' from, so one filter covers both.
   */
  static List<List<List<String>>> involving(String normalized) {
    List<String> padded = List.of(EvmAddress.toTopic(normalized));
    return List.of(
      Arrays.asList(List.of(TRANSFER), padded),
      Arrays.asList(List.of(TRANSFER, TRANSFER_SINGLE, TRANSFER_BATCH), null, padded),
      Arrays.asList(ERC1155, null, null, padded));
  }

  private static List<String> addresses(String fromTopic, String toTopic) {
    List<String> parties = new ArrayList<>(2);
    for (String topic : new String[] {fromTopic, toTopic}) {
      String address = EvmAddress.fromTopic(topic);
      if (address != null) {
        parties.add(address);
      }
    }
    return parties;
  }
}
