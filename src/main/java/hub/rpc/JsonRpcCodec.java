package hub.rpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * JSON-RPC 2.0 codec of the change-server WebSocket protocol (compatible with Edge's change server).
 *
 * <p>Clients call {@code subscribe} and {@code unsubscribe} with {@code params} an array of
 * {@code [pluginId, address, checkpoint?]} tuples; the hub answers with results and pushes {@code update} and
 * {@code subLost} notifications. {@link #decode(String)} turns one client message into a {@link SubscribeCall},
 * an {@link UnsubscribeCall} or a {@link Rejected} carrying the ready-made error reply; it never throws.
 *
 * <p>Decoding order, first match wins (each maps to one error):
 * <ol>
 *   <li>not strict JSON (also empty text, comments, trailing data, invalid UTF-8 in a binary frame, or beyond
 *       Jackson's read limits such as nesting depth 1000 or numbers of 1000 digits): -32700 {@code Parse error}</li>
 *   <li>not a JSON object (an array, as batches are not served, or a scalar): -32600</li>
 *   <li>an {@code id} member that is not a string, an integer or null: -32600, replied with id null</li>
 *   <li>{@code jsonrpc} missing or not exactly the string {@code "2.0"}: -32600</li>
 *   <li>response-shaped (no {@code method}, has {@code id} and {@code result} or {@code error}):
 *       -32603 {@code Cannot find id <id>}</li>
 *   <li>no {@code method} member: -32600 {@code Invalid JSON-RPC request: missing method}</li>
 *   <li>a {@code method} that is not a string (JSON-RPC 2.0: it MUST be a String): -32600
 *       {@code Invalid JSON-RPC request: method must be a string}</li>
 *   <li>a {@code params} member that is neither an array nor an object (it MUST be a structured value): -32600
 *       {@code Invalid JSON-RPC request: params must be an array or an object}</li>
 *   <li>no {@code id} member (a notification): -32600 {@code Invalid JSON-RPC request: missing id}</li>
 *   <li>method other than {@code subscribe}/{@code unsubscribe}: -32601 {@code Method not found: <name>}</li>
 *   <li>params absent, by name (an object), or of the wrong shape: -32602 {@code Invalid params: <what and where>}</li>
 * </ol>
 * Error replies echo the request's id whenever it has a valid type, otherwise {@code "id":null}. Method names and
 * ids quoted inside an error message are cut to {@value #MAX_ECHO} characters.
 *
 * <p>Encoders write members in a fixed order: {@code jsonrpc} first, {@code result}/{@code error} before
 * {@code id}, {@code method} before {@code params}. All JSON text is written by Vert.x's Jackson codec.
 */
public final class JsonRpcCodec {

  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;

  /** Longest method name or id text quoted inside an error message, in UTF-16 chars. */
  static final int MAX_ECHO = 64;

  private static final String VERSION = "2.0";
  private static final String INVALID_REQUEST_MESSAGE = "Invalid JSON-RPC request";
  private static final String TUPLES_SHAPE = "params must be an array of [pluginId, address, checkpoint?] tuples";

  private JsonRpcCodec() {
  }

  // ---------------------------------------------------------------------------------------------------- decoding

  /** Decodes one text frame. Never throws: anything that is not a served call becomes a {@link Rejected}. */
  public static ClientMessage decode(String text) {
    Object json;
    try {
      json = parseStrict(text);
    } catch (Exception | StackOverflowError e) {
      return reject(null, PARSE_ERROR, "Parse error");
    }
    try {
      return decodeValue(json);
    } catch (Exception | StackOverflowError e) {
      // Not expected: validation only reads already-parsed values. Kept so that decode never throws.
      return reject(null, INVALID_REQUEST, INVALID_REQUEST_MESSAGE);
    }
  }

  /** Decodes one binary frame: its bytes must be UTF-8 JSON text; invalid UTF-8 is a parse error. */
  public static ClientMessage decode(Buffer frame) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(frame.getBytes()))
        .toString();
    } catch (CharacterCodingException | RuntimeException e) {
      return reject(null, PARSE_ERROR, "Parse error");
    }
    return decode(text);
  }

  /** Strict JSON (RFC 8259): Vert.x's shared Jackson factory allows comments, this parser does not. */
  private static Object parseStrict(String text) {
    Objects.requireNonNull(text, "text");
    JsonParser parser = JacksonCodec.createParser(text);
    parser.disable(JsonParser.Feature.ALLOW_COMMENTS);
    return JacksonCodec.fromParser(parser, Object.class);
  }

  private static ClientMessage decodeValue(Object json) {
    if (!(json instanceof JsonObject request)) {
      return reject(null, INVALID_REQUEST, INVALID_REQUEST_MESSAGE);
    }
    boolean hasId = request.containsKey("id");
    Object id = request.getValue("id");
    if (hasId && !isValidId(id)) {
      return reject(null, INVALID_REQUEST, INVALID_REQUEST_MESSAGE);
    }
    if (!VERSION.equals(request.getValue("jsonrpc"))) {
      return reject(id, INVALID_REQUEST, INVALID_REQUEST_MESSAGE);
    }
    boolean hasMethod = request.containsKey("method");
    if (!hasMethod && hasId && (request.containsKey("result") || request.containsKey("error"))) {
      return reject(id, INTERNAL_ERROR, "Cannot find id " + clip(String.valueOf(id)));
    }
    if (!hasMethod) {
      return reject(id, INVALID_REQUEST, INVALID_REQUEST_MESSAGE + ": missing method");
    }
    if (!(request.getValue("method") instanceof String method)) {
      return reject(id, INVALID_REQUEST, INVALID_REQUEST_MESSAGE + ": method must be a string");
    }
    Object params = request.getValue("params");
    if (request.containsKey("params") && !(params instanceof JsonArray) && !(params instanceof JsonObject)) {
      return reject(id, INVALID_REQUEST, INVALID_REQUEST_MESSAGE + ": params must be an array or an object");
    }
    if (!hasId) {
      return reject(null, INVALID_REQUEST, INVALID_REQUEST_MESSAGE + ": missing id");
    }
    boolean subscribe = "subscribe".equals(method);
    if (!subscribe && !"unsubscribe".equals(method)) {
      return reject(id, METHOD_NOT_FOUND, "Method not found: " + clip(method));
    }
    if (!(params instanceof JsonArray array)) {
      return reject(id, INVALID_PARAMS, "Invalid params: " + TUPLES_SHAPE);
    }
    List<Tuple> tuples = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object element = array.getValue(i);
      String problem = tupleProblem(element, i, subscribe);
      if (problem != null) {
        return reject(id, INVALID_PARAMS, "Invalid params: " + problem);
      }
      JsonArray tuple = (JsonArray) element;
      String checkpoint = subscribe && tuple.size() == 3 ? (String) tuple.getValue(2) : null;
      tuples.add(new Tuple((String) tuple.getValue(0), (String) tuple.getValue(1), checkpoint));
    }
    List<Tuple> frozen = Collections.unmodifiableList(tuples);
    return subscribe ? new SubscribeCall(id, frozen) : new UnsubscribeCall(id, frozen);
  }

  /** What is wrong with {@code params[index]}, or null when it is a valid tuple. */
  private static String tupleProblem(Object element, int index, boolean subscribe) {
    String where = "params[" + index + "]";
    if (!(element instanceof JsonArray tuple)) {
      return where + " must be a [pluginId, address, checkpoint?] tuple";
    }
    if (tuple.size() != 2 && tuple.size() != 3) {
      return where + " must have 2 or 3 elements";
    }
    if (!(tuple.getValue(0) instanceof String)) {
      return where + "[0] (pluginId) must be a string";
    }
    if (!(tuple.getValue(1) instanceof String)) {
      return where + "[1] (address) must be a string";
    }
    if (subscribe && tuple.size() == 3) {
      Object checkpoint = tuple.getValue(2);
      if (checkpoint != null && !(checkpoint instanceof String)) {
        return where + "[2] (checkpoint) must be a string or null";
      }
    }
    return null;
  }

  /** Valid JSON-RPC ids here: a string, an integer of any size, or null. */
  private static boolean isValidId(Object id) {
    return id == null || id instanceof String || id instanceof Integer || id instanceof Long
      || id instanceof BigInteger || id instanceof Short || id instanceof Byte;
  }

  /** Cuts client-supplied text quoted in an error message, without splitting a surrogate pair. */
  private static String clip(String text) {
    if (text.length() <= MAX_ECHO) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(MAX_ECHO - 1)) ? MAX_ECHO - 1 : MAX_ECHO;
    return text.substring(0, end);
  }

  private static Rejected reject(Object id, int code, String message) {
    return new Rejected(error(id, code, message));
  }

  // ---------------------------------------------------------------------------------------------------- encoding

  /** {@code {"jsonrpc":"2.0","result":[1,2,-1],"id":0}}: one result code per subscribed tuple, in order. */
  public static String subscribeResult(Object id, int[] results) {
    StringBuilder json = new StringBuilder(48 + 3 * results.length).append("{\"jsonrpc\":\"2.0\",\"result\":[");
    for (int i = 0; i < results.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(results[i]);
    }
    json.append("],\"id\":");
    appendId(json, id);
    return json.append('}').toString();
  }

  /** {@code {"jsonrpc":"2.0","id":1}}: no {@code result} member, as Edge's client rejects {@code "result":null}. */
  public static String unsubscribeResult(Object id) {
    return new JsonObject().put("jsonrpc", VERSION).put("id", checkId(id)).encode();
  }

  /** {@code {"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}}. */
  public static String error(Object id, int code, String message) {
    JsonObject error = new JsonObject().put("code", code).put("message", Objects.requireNonNull(message, "message"));
    return new JsonObject().put("jsonrpc", VERSION).put("error", error).put("id", checkId(id)).encode();
  }

  /** {@code {"jsonrpc":"2.0","method":"update","params":["ethereum","0xF5..","19000042"]}}; checkpoint may be null. */
  public static String update(String pluginId, String address, String checkpoint) {
    return notification("update", pluginId, address, checkpoint);
  }

  /** {@code {"jsonrpc":"2.0","method":"subLost","params":["bitcoin","bc1q…",null]}}. */
  public static String subLost(String pluginId, String address) {
    return notification("subLost", pluginId, address, null);
  }

  /**
   * Built as text around Jackson-escaped strings: the hottest path of the server, one per update sent. (Json.encode
   * of a string went through databind and built a serializer provider per call.)
   */
  private static String notification(String method, String pluginId, String address, String checkpoint) {
    StringBuilder json = new StringBuilder(64 + address.length()).append("{\"jsonrpc\":\"2.0\",\"method\":\"").append(method)
      .append("\",\"params\":[");
    appendString(json, Objects.requireNonNull(pluginId, "pluginId")).append(',');
    appendString(json, Objects.requireNonNull(address, "address")).append(',');
    if (checkpoint == null) {
      json.append("null");
    } else {
      appendString(json, checkpoint);
    }
    return json.append("]}").toString();
  }

  private static StringBuilder appendString(StringBuilder json, String text) {
    json.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, json);
    return json.append('"');
  }

  private static void appendId(StringBuilder json, Object id) {
    if (checkId(id) instanceof String text) {
      appendString(json, text);
    } else {
      json.append(id);
    }
  }

  private static Object checkId(Object id) {
    if (!isValidId(id)) {
      throw new IllegalArgumentException("JSON-RPC id must be a String, an integer or null: " + id.getClass().getName());
    }
    return id;
  }
}
