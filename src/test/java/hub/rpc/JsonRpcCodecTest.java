package hub.rpc;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Exact wire strings of the change-server JSON-RPC 2.0 codec. */
class JsonRpcCodecTest {

  private static final String PARSE_ERROR =
    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}";
  private static final String INVALID_REQUEST_NULL_ID =
    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid JSON-RPC request\"},\"id\":null}";

  /** Writes JSON with single quotes for readability: every ' becomes ". */
  private static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /** The error reply the codec produced for {@code text}; fails if the text decoded as a call. */
  private static String reply(String text) {
    ClientMessage message = JsonRpcCodec.decode(text);
    assertThat(message).isInstanceOf(Rejected.class);
    return ((Rejected) message).reply();
  }

  private static String reply(Buffer frame) {
    ClientMessage message = JsonRpcCodec.decode(frame);
    assertThat(message).isInstanceOf(Rejected.class);
    return ((Rejected) message).reply();
  }

  // ------------------------------------------------------------------------------------------------ encoders

  @Test
  void subscribeResultPutsResultBeforeId() {
    assertThat(JsonRpcCodec.subscribeResult(0, new int[] {1, 2, -1}))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1,2,-1],\"id\":0}");
  }

  @Test
  void subscribeResultOfEmptyCallIsEmptyArrayAndEchoesAnyIdType() {
    assertThat(JsonRpcCodec.subscribeResult("abc", new int[0]))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":\"abc\"}");
    assertThat(JsonRpcCodec.subscribeResult(new BigInteger("123456789012345678901234567890"), new int[] {0}))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[0],\"id\":123456789012345678901234567890}");
    assertThat(JsonRpcCodec.subscribeResult(null, new int[] {2}))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[2],\"id\":null}");
  }

  @Test
  void unsubscribeResultHasNoResultMember() {
    String wire = JsonRpcCodec.unsubscribeResult(1);
    assertThat(wire).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1}");
    assertThat(wire).doesNotContain("result");
    assertThat(JsonRpcCodec.unsubscribeResult("u-1")).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"u-1\"}");
    assertThat(JsonRpcCodec.unsubscribeResult(null)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null}");
  }

  @Test
  void errorPutsErrorBeforeIdAndEscapesTheMessage() {
    assertThat(JsonRpcCodec.error(null, -32700, "Parse error")).isEqualTo(PARSE_ERROR);
    assertThat(JsonRpcCodec.error(9L, -32000, "say \"hi\"\\"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"say \\\"hi\\\"\\\\\"},\"id\":9}");
  }

  @Test
  void encodersRefuseIdsThatAreNotStringIntegerOrNull() {
    assertThatThrownBy(() -> JsonRpcCodec.unsubscribeResult(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonRpcCodec.error(true, -32600, "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void updateCarriesPluginAddressAndCheckpoint() {
    assertThat(JsonRpcCodec.update("ethereum", "0xF5..", "19000042"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"ethereum\",\"0xF5..\",\"19000042\"]}");
  }

  @Test
  void updateWithNullCheckpointSendsNull() {
    assertThat(JsonRpcCodec.update("ethereum", "0xF5..", null))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"ethereum\",\"0xF5..\",null]}");
  }

  @Test
  void subLostSendsNullCheckpoint() {
    assertThat(JsonRpcCodec.subLost("bitcoin", "bc1q…"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"subLost\",\"params\":[\"bitcoin\",\"bc1q…\",null]}");
  }

  @Test
  void updateEscapesAWeirdAddress() {
    String address = "a\"b\\c/é😀\u2028\n\t\u0001";
    assertThat(JsonRpcCodec.update("p", address, "c\"1"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":"
        + "[\"p\",\"a\\\"b\\\\c/é😀\u2028\\n\\t\\u0001\",\"c\\\"1\"]}");
  }

  @Test
  void weirdAddressRoundTripsThroughDecode() {
    String address = "a\"b\\c/é😀\u2028\n\t\u0001";
    String wire = JsonRpcCodec.update("p", address, null);
    String tuple = wire.substring(wire.indexOf("\"params\":") + "\"params\":".length(), wire.length() - 1);
    String call = "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[" + tuple + "],\"id\":1}";
    assertThat(JsonRpcCodec.decode(call)).isEqualTo(new SubscribeCall(1, List.of(new Tuple("p", address, null))));
  }

  // ------------------------------------------------------------------------------------------------ valid calls

  @Test
  void subscribeDecodesTuplesWithAndWithoutCheckpoint() {
    String text = q("{'jsonrpc':'2.0','method':'subscribe',"
      + "'params':[['ethereum','0xF5','19000042'],['bitcoin','bc1q',null],['monero','4A']],'id':0}");
    assertThat(JsonRpcCodec.decode(text)).isEqualTo(new SubscribeCall(0, List.of(
      new Tuple("ethereum", "0xF5", "19000042"),
      new Tuple("bitcoin", "bc1q", null),
      new Tuple("monero", "4A", null))));
  }

  @Test
  void subscribeWithEmptyParamsIsValid() {
    assertThat(JsonRpcCodec.decode(q("{'jsonrpc':'2.0','method':'subscribe','params':[],'id':0}")))
      .isEqualTo(new SubscribeCall(0, List.of()));
  }

  @Test
  void membersMayComeInAnyOrder() {
    assertThat(JsonRpcCodec.decode(q("{'id':'z','params':[['a','b']],'method':'subscribe','jsonrpc':'2.0'}")))
      .isEqualTo(new SubscribeCall("z", List.of(new Tuple("a", "b", null))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"'cp'", "null", "5", "{}", "[1]", "true"})
  void unsubscribeIgnoresTheCheckpointWhateverItsType(String checkpoint) {
    String text = q("{'jsonrpc':'2.0','method':'unsubscribe','params':[['a','b'],['c','d'," + checkpoint + "]],'id':1}");
    assertThat(JsonRpcCodec.decode(text)).isEqualTo(new UnsubscribeCall(1, List.of(
      new Tuple("a", "b", null),
      new Tuple("c", "d", null))));
  }

  static Stream<Arguments> validIds() {
    return Stream.of(
      arguments("'x'", "x"),
      arguments("''", ""),
      arguments("7", 7),
      arguments("-3", -3),
      arguments("9007199254740993", 9007199254740993L),
      arguments("123456789012345678901234567890", new BigInteger("123456789012345678901234567890")),
      arguments("null", null));
  }

  @ParameterizedTest
  @MethodSource("validIds")
  void validIdsAreKeptAsSent(String idJson, Object id) {
    assertThat(JsonRpcCodec.decode(q("{'jsonrpc':'2.0','method':'subscribe','params':[],'id':" + idJson + "}")))
      .isEqualTo(new SubscribeCall(id, List.of()));
    assertThat(JsonRpcCodec.decode(q("{'jsonrpc':'2.0','method':'unsubscribe','params':[],'id':" + idJson + "}")))
      .isEqualTo(new UnsubscribeCall(id, List.of()));
  }

  @Test
  void fiveThousandTuplesDecodeInOrder() {
    StringBuilder text = new StringBuilder("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[");
    List<Tuple> expected = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append("[\"ethereum\",\"0x").append(i).append("\",\"").append(1000 + i).append("\"]");
      expected.add(new Tuple("ethereum", "0x" + i, String.valueOf(1000 + i)));
    }
    text.append("],\"id\":42}");
    ClientMessage message = JsonRpcCodec.decode(text.toString());
    assertThat(message).isInstanceOf(SubscribeCall.class);
    assertThat(((SubscribeCall) message).tuples()).hasSize(5000).containsExactlyElementsOf(expected);
    assertThat(message).isEqualTo(new SubscribeCall(42, expected));
  }

  // ------------------------------------------------------------------------------------------------ binary frames

  @Test
  void binaryFrameIsDecodedAsUtf8() {
    Buffer frame = Buffer.buffer(q("{'jsonrpc':'2.0','method':'subscribe','params':[['ethereum','0xä€😀']],'id':3}")
      .getBytes(StandardCharsets.UTF_8));
    assertThat(JsonRpcCodec.decode(frame)).isEqualTo(new SubscribeCall(3, List.of(new Tuple("ethereum", "0xä€😀", null))));
  }

  @Test
  void binaryFrameFollowsTheSameErrorRules() {
    assertThat(reply(Buffer.buffer(q("[{'jsonrpc':'2.0','method':'subscribe','params':[],'id':1}]"))))
      .isEqualTo(INVALID_REQUEST_NULL_ID);
    assertThat(reply(Buffer.buffer(q("{'jsonrpc':'2.0','method':'nope','params':[],'id':7}"))))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32601,'message':'Method not found: nope'},'id':7}"));
    assertThat(reply(Buffer.buffer("{\"jsonrpc\":"))).isEqualTo(PARSE_ERROR);
    assertThat(reply(Buffer.buffer())).isEqualTo(PARSE_ERROR);
  }

  static Stream<byte[]> badBinaryFrames() {
    byte[] call = q("{'jsonrpc':'2.0','method':'subscribe','params':[['a','X']],'id':1}").getBytes(StandardCharsets.UTF_8);
    int x = new String(call, StandardCharsets.ISO_8859_1).indexOf('X');
    byte[] loneContinuation = call.clone();
    loneContinuation[x] = (byte) 0x80;
    byte[] overlongSlash = new byte[call.length + 1];
    System.arraycopy(call, 0, overlongSlash, 0, x);
    overlongSlash[x] = (byte) 0xC0;
    overlongSlash[x + 1] = (byte) 0xAF;
    System.arraycopy(call, x + 1, overlongSlash, x + 2, call.length - x - 1);
    byte[] withNul = call.clone();
    withNul[x] = 0;
    return Stream.of(
      loneContinuation,
      overlongSlash,
      withNul,
      new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0},
      q("{'jsonrpc':'2.0','method':'subscribe','params':[],'id':1}").getBytes(StandardCharsets.UTF_16LE),
      new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
  }

  @ParameterizedTest
  @MethodSource("badBinaryFrames")
  void binaryFrameThatIsNotStrictUtf8JsonIsAParseError(byte[] bytes) {
    assertThat(reply(Buffer.buffer(bytes))).isEqualTo(PARSE_ERROR);
  }

  // ------------------------------------------------------------------------------------------------ the error table

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n", "{", "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[],\"id\":1",
    "not json", "{'jsonrpc':'2.0'}", "{\"a\":1}}", "{} {}", "{}x", "/* c */ {}", "{\"a\":1 // c\n}", "\uFEFF{}",
    "{\"a\":\"\u0000\"}", "\u0000", "{\"id\":01}", "{\"id\":NaN}", "{a:1}", "[1,]", "{\"a\":1,}", "undefined"})
  void notJsonIsAParseError(String text) {
    assertThat(reply(text)).isEqualTo(PARSE_ERROR);
  }

  @Test
  void beyondJacksonsReadLimitsIsAParseError() {
    assertThat(reply("[".repeat(100_000) + "]".repeat(100_000))).isEqualTo(PARSE_ERROR);
    assertThat(reply("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000))).isEqualTo(PARSE_ERROR);
    assertThat(reply(q("{'jsonrpc':'2.0','method':'subscribe','params':[],'id':" + "9".repeat(1001) + "}")))
      .isEqualTo(PARSE_ERROR);
  }

  @Test
  void nullInputsAreParseErrors() {
    assertThat(reply((String) null)).isEqualTo(PARSE_ERROR);
    assertThat(reply((Buffer) null)).isEqualTo(PARSE_ERROR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{'jsonrpc':'2.0','method':'subscribe','params':[],'id':1}]", "1", "-2.5", "'text'",
    "null", "true", "false"})
  void aJsonValueThatIsNotAnObjectIsAnInvalidRequest(String text) {
    assertThat(reply(q(text))).isEqualTo(INVALID_REQUEST_NULL_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "1.0", "1e3", "-0.0", "{}", "{'a':1}", "[]", "[1]", "true", "false"})
  void badIdTypeIsAnInvalidRequestWithNullId(String id) {
    assertThat(reply(q("{'jsonrpc':'2.0','method':'subscribe','params':[],'id':" + id + "}")))
      .isEqualTo(INVALID_REQUEST_NULL_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"'jsonrpc':'1.0',", "", "'jsonrpc':2.0,", "'jsonrpc':'2',", "'jsonrpc':null,",
    "'jsonrpc':' 2.0',", "'jsonrpc':['2.0'],", "'JSONRPC':'2.0',"})
  void missingOrWrongJsonrpcIsAnInvalidRequestEchoingTheId(String jsonrpcMember) {
    assertThat(reply(q("{" + jsonrpcMember + "'method':'subscribe','params':[],'id':3}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request'},'id':3}"));
  }

  static Stream<Arguments> responseShaped() {
    return Stream.of(
      arguments("{'jsonrpc':'2.0','result':1,'id':5}", "{'jsonrpc':'2.0','error':{'code':-32603,'message':'Cannot find id 5'},'id':5}"),
      arguments("{'jsonrpc':'2.0','result':null,'id':'x'}", "{'jsonrpc':'2.0','error':{'code':-32603,'message':'Cannot find id x'},'id':'x'}"),
      arguments("{'jsonrpc':'2.0','error':{'code':1,'message':'m'},'id':123456789012345678901234567890}",
        "{'jsonrpc':'2.0','error':{'code':-32603,'message':'Cannot find id 123456789012345678901234567890'},"
          + "'id':123456789012345678901234567890}"),
      arguments("{'id':null,'result':[],'jsonrpc':'2.0'}", "{'jsonrpc':'2.0','error':{'code':-32603,'message':'Cannot find id null'},'id':null}"));
  }

  @ParameterizedTest
  @MethodSource("responseShaped")
  void aResponseIsAnsweredWithCannotFindId(String text, String expected) {
    assertThat(reply(q(text))).isEqualTo(q(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'jsonrpc':'2.0','id':4}", "{'jsonrpc':'2.0','params':[],'id':4}"})
  void missingMethodIsAnInvalidRequestEchoingTheId(String text) {
    assertThat(reply(q(text)))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: missing method'},'id':4}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'jsonrpc':'2.0'}", "{'jsonrpc':'2.0','result':1}", "{'jsonrpc':'2.0','error':{}}"})
  void missingMethodWithoutIdRepliesWithNullId(String text) {
    assertThat(reply(q(text)))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: missing method'},'id':null}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'jsonrpc':'2.0','method':'subscribe','params':[]}",
    "{'jsonrpc':'2.0','method':'unsubscribe','params':[['a','b']]}", "{'jsonrpc':'2.0','method':'nope','params':{}}"})
  void aCallWithoutIdIsAnInvalidRequest(String text) {
    assertThat(reply(q(text)))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: missing id'},'id':null}"));
  }

  static Stream<Arguments> unknownMethods() {
    return Stream.of(
      arguments("'nope'", "nope"),
      arguments("'update'", "update"),
      arguments("'subLost'", "subLost"),
      arguments("'Subscribe'", "Subscribe"),
      arguments("''", ""));
  }

  /** JSON-RPC 2.0, 4: "method: A String containing the name of the method to be invoked". Anything else is no Request. */
  @ParameterizedTest
  @ValueSource(strings = {"5", "null", "true", "['subscribe']", "{'a':1}", "1.5"})
  void aMethodThatIsNotAStringIsAnInvalidRequest(String method) {
    assertThat(reply(q("{'jsonrpc':'2.0','method':" + method + ",'params':[],'id':7}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: method must be a string'},'id':7}"));
    assertThat(reply(q("{'jsonrpc':'2.0','method':" + method + ",'params':[]}")))
      .as("without an id too").isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: method must be a string'},'id':null}"));
  }

  /** JSON-RPC 2.0, 4.2: "If present, parameters for the rpc call MUST be provided as a Structured value". */
  @ParameterizedTest
  @ValueSource(strings = {"5", "null", "true", "'x'"})
  void paramsThatAreNotAStructuredValueAreAnInvalidRequest(String params) {
    for (String method : List.of("subscribe", "unsubscribe", "nope")) {
      assertThat(reply(q("{'jsonrpc':'2.0','method':'" + method + "','params':" + params + ",'id':3}")))
        .as(method).isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: params must be an array or an object'},'id':3}"));
    }
  }

  /** A structured value our methods do not take (by name), or none at all: the method's params are invalid, -32602. */
  @ParameterizedTest
  @ValueSource(strings = {"{'jsonrpc':'2.0','method':'subscribe','params':{},'id':3}",
    "{'jsonrpc':'2.0','method':'subscribe','params':{'pluginId':'fake'},'id':3}", "{'jsonrpc':'2.0','method':'unsubscribe','id':3}"})
  void paramsByNameOrAbsentAreInvalidParams(String text) {
    assertThat(reply(q(text))).isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32602,'message':'Invalid params: params must be an array of "
      + "[pluginId, address, checkpoint?] tuples'},'id':3}"));
  }

  @ParameterizedTest
  @MethodSource("unknownMethods")
  void unknownMethodIsMethodNotFound(String method, String shown) {
    String expectedMessage = q("Method not found: " + shown).replace("\"", "\\\"");
    assertThat(reply(q("{'jsonrpc':'2.0','method':" + method + ",'params':[],'id':7}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32601,'message':'") + expectedMessage + q("'},'id':7}"));
  }

  @Test
  void theDocumentedMethodNotFoundExample() {
    assertThat(reply("{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"params\":[],\"id\":7}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found: nope\"},\"id\":7}");
  }

  static Stream<Arguments> idEchoes() {
    return Stream.of(
      arguments("'a'", "'a'"),
      arguments("0", "0"),
      arguments("-0", "0"),
      arguments("2147483648", "2147483648"),
      arguments("123456789012345678901234567890", "123456789012345678901234567890"),
      arguments("null", "null"));
  }

  @ParameterizedTest
  @MethodSource("idEchoes")
  void errorsEchoTheRequestId(String idJson, String echoed) {
    assertThat(reply(q("{'jsonrpc':'2.0','method':'nope','params':[],'id':" + idJson + "}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32601,'message':'Method not found: nope'},'id':" + echoed + "}"));
    assertThat(reply(q("{'jsonrpc':'2.0','method':'subscribe','params':{},'id':" + idJson + "}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32602,'message':'Invalid params: params must be an array of "
        + "[pluginId, address, checkpoint?] tuples'},'id':" + echoed + "}"));
  }

  static Stream<Arguments> badParams() {
    String shape = "params must be an array of [pluginId, address, checkpoint?] tuples";
    return Stream.of(
      // A scalar is no structured value at all: an invalid request, see paramsThatAreNotAStructuredValueAreAnInvalidRequest.
      arguments("subscribe", "{}", shape),
      arguments("unsubscribe", "{}", shape),
      arguments("subscribe", "[1]", "params[0] must be a [pluginId, address, checkpoint?] tuple"),
      arguments("subscribe", "[['a','b'],{'p':'a'}]", "params[1] must be a [pluginId, address, checkpoint?] tuple"),
      arguments("unsubscribe", "['a']", "params[0] must be a [pluginId, address, checkpoint?] tuple"),
      arguments("subscribe", "[[]]", "params[0] must have 2 or 3 elements"),
      arguments("subscribe", "[['a']]", "params[0] must have 2 or 3 elements"),
      arguments("subscribe", "[['a','b','c','d']]", "params[0] must have 2 or 3 elements"),
      arguments("unsubscribe", "[['a','b'],['a','b','c','d']]", "params[1] must have 2 or 3 elements"),
      arguments("subscribe", "[['a','b'],[1,'b']]", "params[1][0] (pluginId) must be a string"),
      arguments("subscribe", "[[null,'b']]", "params[0][0] (pluginId) must be a string"),
      arguments("unsubscribe", "[[['a'],'b']]", "params[0][0] (pluginId) must be a string"),
      arguments("subscribe", "[['a',null]]", "params[0][1] (address) must be a string"),
      arguments("unsubscribe", "[['a',5,'c']]", "params[0][1] (address) must be a string"),
      arguments("subscribe", "[['a','b',5]]", "params[0][2] (checkpoint) must be a string or null"),
      arguments("subscribe", "[['a','b','c'],['a','b',{}]]", "params[1][2] (checkpoint) must be a string or null"),
      arguments("subscribe", "[['a','b',[]],[1,'b']]", "params[0][2] (checkpoint) must be a string or null"));
  }

  @ParameterizedTest
  @MethodSource("badParams")
  void paramsOfTheWrongShapeAreInvalidParams(String method, String params, String what) {
    assertThat(reply(q("{'jsonrpc':'2.0','method':'" + method + "','params':" + params + ",'id':'a'}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32602,'message':'Invalid params: " + what + "'},'id':'a'}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"subscribe", "unsubscribe"})
  void missingParamsAreInvalidParams(String method) {
    assertThat(reply(q("{'jsonrpc':'2.0','method':'" + method + "','id':2}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32602,'message':'Invalid params: params must be an array of "
        + "[pluginId, address, checkpoint?] tuples'},'id':2}"));
  }

  // ------------------------------------------------------------------------------------------------ precedence

  static Stream<Arguments> precedence() {
    String invalid = "{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request'},'id':";
    return Stream.of(
      // not an object > everything inside it
      arguments("[{'jsonrpc':'1.0','result':1,'id':1.5}]", invalid + "null}"),
      // bad id type > wrong jsonrpc, response shape, unknown method
      arguments("{'jsonrpc':'1.0','method':'nope','id':1.5}", invalid + "null}"),
      arguments("{'result':1,'id':{}}", invalid + "null}"),
      // wrong jsonrpc > response-shaped, missing method, missing id, unknown method, bad params
      arguments("{'jsonrpc':'1.0','result':1,'id':5}", invalid + "5}"),
      arguments("{'jsonrpc':'1.0','id':5}", invalid + "5}"),
      arguments("{'method':'nope','params':{}}", invalid + "null}"),
      arguments("{'jsonrpc':'2.1','method':'subscribe','params':{},'id':'p'}", invalid + "'p'}"),
      // response-shaped > missing method
      arguments("{'jsonrpc':'2.0','error':null,'params':[],'id':6}",
        "{'jsonrpc':'2.0','error':{'code':-32603,'message':'Cannot find id 6'},'id':6}"),
      // a method makes it a call, even with a result member
      arguments("{'jsonrpc':'2.0','method':'nope','result':1,'id':6}",
        "{'jsonrpc':'2.0','error':{'code':-32601,'message':'Method not found: nope'},'id':6}"),
      // a method that is not a string > params that are not structured > missing id > unknown method > bad params
      arguments("{'jsonrpc':'2.0','method':5,'params':5}",
        "{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: method must be a string'},'id':null}"),
      arguments("{'jsonrpc':'2.0','method':'nope','params':5}",
        "{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: params must be an array or an object'},'id':null}"),
      arguments("{'jsonrpc':'2.0','method':'nope','params':{}}",
        "{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: missing id'},'id':null}"),
      arguments("{'jsonrpc':'2.0','method':'nope','params':{},'id':8}",
        "{'jsonrpc':'2.0','error':{'code':-32601,'message':'Method not found: nope'},'id':8}"));
  }

  @ParameterizedTest
  @MethodSource("precedence")
  void theFirstProblemInPrecedenceOrderWins(String text, String expected) {
    assertThat(reply(q(text))).isEqualTo(q(expected));
  }

  @Test
  void theDocumentedErrorExamples() {
    assertThat(reply("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":{},\"id\":\"a\"}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params: params must be an array of "
        + "[pluginId, address, checkpoint?] tuples\"},\"id\":\"a\"}");
    assertThat(reply("{\"jsonrpc\":\"1.0\",\"method\":\"subscribe\",\"params\":[],\"id\":3}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid JSON-RPC request\"},\"id\":3}");
    assertThat(reply("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":5}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Cannot find id 5\"},\"id\":5}");
  }

  // ------------------------------------------------------------------------------------------------ bounded echo

  @Test
  void longMethodNameIsCutTo64CharactersInTheMessage() {
    String method = "m".repeat(60) + "0123456789".repeat(1000);
    assertThat(reply(q("{'jsonrpc':'2.0','method':'" + method + "','params':[],'id':1}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32601,'message':'Method not found: " + "m".repeat(60) + "0123'},'id':1}"));
  }

  @Test
  void aLongNonStringMethodIsNotEchoed() {
    String method = "[" + "1,".repeat(100) + "1]";
    assertThat(reply(q("{'jsonrpc':'2.0','method':" + method + ",'params':[],'id':1}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32600,'message':'Invalid JSON-RPC request: method must be a string'},'id':1}"));
  }

  @Test
  void cutDoesNotSplitASurrogatePair() {
    String method = "x".repeat(63) + "😀" + "tail";
    assertThat(reply(q("{'jsonrpc':'2.0','method':'" + method + "','params':[],'id':1}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32601,'message':'Method not found: " + "x".repeat(63) + "'},'id':1}"));
  }

  @Test
  void longIdIsCutInCannotFindIdButEchoedWholeAsTheId() {
    String id = "i".repeat(64) + "overflow";
    assertThat(reply(q("{'jsonrpc':'2.0','result':1,'id':'" + id + "'}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32603,'message':'Cannot find id " + "i".repeat(64) + "'},'id':'" + id + "'}"));
    String bigId = "1".repeat(100);
    assertThat(reply(q("{'jsonrpc':'2.0','error':{},'id':" + bigId + "}")))
      .isEqualTo(q("{'jsonrpc':'2.0','error':{'code':-32603,'message':'Cannot find id " + "1".repeat(64) + "'},'id':" + bigId + "}"));
  }

  @Test
  void clientTextInMessagesIsEscapedNotTrusted() {
    assertThat(reply("{\"jsonrpc\":\"2.0\",\"method\":\"a\\\"}\\u0000\",\"params\":[],\"id\":1}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found: a\\\"}\\u0000\"},\"id\":1}");
  }

  // ------------------------------------------------------------------------------------------------ never throws

  @Test
  void decodeNeverThrowsOnGarbage() {
    Random random = new Random(20240607L);
    String call = q("{'jsonrpc':'2.0','method':'subscribe','params':[['a','b','c']],'id':1}");
    for (int round = 0; round < 3000; round++) {
      byte[] bytes;
      if (round % 2 == 0) {
        bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
      } else {
        bytes = call.getBytes(StandardCharsets.UTF_8);
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      ClientMessage fromBinary = JsonRpcCodec.decode(Buffer.buffer(bytes));
      ClientMessage fromText = JsonRpcCodec.decode(new String(bytes, StandardCharsets.ISO_8859_1));
      for (ClientMessage message : List.of(fromBinary, fromText)) {
        if (message instanceof Rejected rejected) {
          assertThat(rejected.reply()).matches("(?s)\\{\"jsonrpc\":\"2\\.0\",\"error\":\\{\"code\":-32(?:6\\d\\d|700),\"message\":\".*\"},\"id\":.*}");
        } else {
          assertThat(message).isInstanceOfAny(SubscribeCall.class, UnsubscribeCall.class);
        }
      }
    }
  }
}
