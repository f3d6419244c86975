package chainworker;

import org.junit.jupiter.api.Test;
import support.EvmAddress;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Matching on hand-built blocks and logs: which addresses a block touched, with topic positions per event. */
class BlockMatcherTest {

  private static final String A = "0x" + "a".repeat(40);
  private static final String B = "0x" + "b".repeat(40);
  private static final String C = "0x" + "c".repeat(40);
  private static final String D = "0x" + "d".repeat(40);
  private static final String E = "0x" + "e".repeat(40);
  private static final String OPERATOR = "0x" + "0".repeat(39) + "1";
  private static final String TOKEN_ID = "0x" + "0".repeat(63) + "7";

  @Test
  void transactionPartiesAndCreatedContractsAreTouched() {
    EvmBlock block = block(new EvmTransaction("0x01", A, B), new EvmTransaction("0x02", C, null));

    assertThat(BlockMatcher.touched(block, List.of(D), List.of(), List.of())).containsExactlyInAnyOrder(A, B, C, D);
  }

  @Test
  void transferKeepsFromAndToInTopicsOneAndTwo() {
    EvmLog erc20 = log(TokenEvents.TRANSFER, topic(A), topic(B));
    EvmLog erc721 = log(TokenEvents.TRANSFER, topic(C), topic(D), TOKEN_ID);

    assertThat(BlockMatcher.touched(block(), List.of(), List.of(erc20, erc721), List.of())).containsExactlyInAnyOrder(A, B, C, D);
  }

  @Test
  void erc1155EventsKeepFromAndToInTopicsTwoAndThreeNotTheOperator() {
    EvmLog single = log(TokenEvents.TRANSFER_SINGLE, topic(OPERATOR), topic(A), topic(B));
    EvmLog batch = log(TokenEvents.TRANSFER_BATCH, topic(OPERATOR), topic(C), topic(D));

    assertThat(BlockMatcher.touched(block(), List.of(), List.of(single, batch), List.of())).containsExactlyInAnyOrder(A, B, C, D);
  }

  @Test
  void otherEventsAndMalformedTopicsTouchNothing() {
    EvmLog approval = log("0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925", topic(A), topic(B));
    EvmLog truncated = log(TokenEvents.TRANSFER, "0x1234");
    EvmLog anonymous = new EvmLog(List.of());

    assertThat(BlockMatcher.touched(block(), List.of(), List.of(approval, truncated, anonymous), List.of())).isEmpty();
  }

  @Test
  void internalTransfersAreTouchedAndEverythingIsLowercase() {
    EvmLog checksummedTopic = log(TokenEvents.TRANSFER, topic(E).toUpperCase().replace("0X", "0x"), topic(A));

    assertThat(BlockMatcher.touched(block(), List.of(), List.of(checksummedTopic), List.of(B, C))).containsExactlyInAnyOrder(A, B, C, E);
  }

  @Test
  void addressesAreZeroXAndFortyHexDigitsInAnyCase() {
    assertThat(EvmAddress.normalize("0xAbCdEf0123456789aBcDeF0123456789AbCdEf01")).isEqualTo("0xabcdef0123456789abcdef0123456789abcdef01");
    // Edge lowercases whatever it is given, so an upper-case prefix is the same address.
    assertThat(EvmAddress.normalize("0X" + "A".repeat(40))).isEqualTo("0x" + "a".repeat(40));
    assertThat(EvmAddress.normalize("a".repeat(40))).isNull();
    assertThat(EvmAddress.normalize("0x" + "a".repeat(39))).isNull();
    assertThat(EvmAddress.normalize("0x" + "a".repeat(41))).isNull();
    assertThat(EvmAddress.normalize("0x" + "z".repeat(40))).isNull();
    assertThat(EvmAddress.toTopic(A)).isEqualTo(topic(A));
  }

  private static EvmBlock block(EvmTransaction... transactions) {
    return new EvmBlock(new BlockHeader(7, "0x07", "0x06"), List.of(transactions));
  }

  private static EvmLog log(String... topics) {
    return new EvmLog(List.of(topics));
  }

  private static String topic(String address) {
    return "0x" + "0".repeat(24) + address.substring(2);
  }
}
