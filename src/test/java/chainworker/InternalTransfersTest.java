package chainworker;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing both trace formats as anvil, Erigon and geth return them (hand-built, trimmed to the fields used). */
class InternalTransfersTest {

  private static final String TX_SENDER = "0x" + "1".repeat(40);
  private static final String CONTRACT = "0x" + "2".repeat(40);
  private static final String PAYEE = "0x" + "3".repeat(40);
  private static final String LIBRARY = "0x" + "4".repeat(40);
  private static final String CHILD = "0x" + "5".repeat(40);
  private static final String REVERTED = "0x" + "6".repeat(40);
  private static final String HEIR = "0x" + "7".repeat(40);

  @Test
  void traceBlockKeepsValueCallsCreationsAndSelfDestructs() {
    JsonArray traces = new JsonArray("""
      [
        {"type":"call","action":{"callType":"call","from":"%1$s","to":"%2$s","value":"0x10"},"traceAddress":[]},
        {"type":"call","action":{"callType":"call","from":"%2$s","to":"%3$s","value":"0x10"},"traceAddress":[0]},
        {"type":"call","action":{"callType":"staticcall","from":"%2$s","to":"%4$s","value":"0x0"},"traceAddress":[1]},
        {"type":"call","action":{"callType":"delegatecall","from":"%2$s","to":"%4$s","value":"0x10"},"traceAddress":[2]},
        {"type":"create","action":{"from":"%2$s","value":"0x0"},"result":{"address":"%5$s"},"traceAddress":[3]},
        {"type":"call","action":{"callType":"call","from":"%2$s","to":"%6$s","value":"0x5"},"error":"Reverted","traceAddress":[4]},
        {"type":"suicide","action":{"address":"%5$s","refundAddress":"%7$s","balance":"0x1"},"traceAddress":[3,0]},
        {"type":"reward","action":{"author":"%6$s","value":"0x1"},"traceAddress":[]}
      ]""".formatted(TX_SENDER, CONTRACT, PAYEE, LIBRARY, CHILD, REVERTED, HEIR));

    assertThat(InternalTransfers.fromTraceBlock(traces))
      .containsOnly(TX_SENDER, CONTRACT, PAYEE, CHILD, HEIR)
      .doesNotContain(LIBRARY, REVERTED);
  }

  @Test
  void callTracerWalksEveryFrameAndSkipsRevertedSubtrees() {
    JsonArray results = new JsonArray("""
      [
        {"txHash":"0xaa","result":{"type":"CALL","from":"%1$s","to":"%2$s","value":"0x0","calls":[
          {"type":"CALL","from":"%2$s","to":"%3$s","value":"0x10"},
          {"type":"DELEGATECALL","from":"%2$s","to":"%4$s","value":"0x10"},
          {"type":"STATICCALL","from":"%2$s","to":"%4$s"},
          {"type":"CREATE2","from":"%2$s","to":"%5$s","value":"0x0","calls":[
            {"type":"SELFDESTRUCT","from":"%5$s","to":"%7$s","value":"0x1"}
          ]},
          {"type":"CALL","from":"%2$s","to":"%4$s","value":"0x1","error":"execution reverted","calls":[
            {"type":"CALL","from":"%4$s","to":"%6$s","value":"0x1"}
          ]}
        ]}},
        {"result":{"type":"CALL","from":"%1$s","to":"%3$s","value":"0x0"}}
      ]""".formatted(TX_SENDER, CONTRACT, PAYEE, LIBRARY, CHILD, REVERTED, HEIR));

    assertThat(InternalTransfers.fromCallTracer(results))
      .containsOnly(CONTRACT, PAYEE, CHILD, HEIR)
      .doesNotContain(LIBRARY, REVERTED);
  }
}
