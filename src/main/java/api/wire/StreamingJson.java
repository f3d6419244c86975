package api.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Small helpers for reading the contract's JSON with Jackson's streaming parser: walk an object's fields or an array's
 * elements without building a tree. Unknown fields are the caller's to skip ({@link JsonParser#skipChildren()}).
 */
public final class StreamingJson {

  private StreamingJson() {
  }

  /** Checks that the parser is on the start of an object. */
  public static void startObject(JsonParser in) throws IOException {
    expect(in, in.currentToken() == JsonToken.START_OBJECT, "an object");
  }

  /** Moves to the next field's value; false at the end of the object. {@link JsonParser#currentName()} names it. */
  public static boolean nextField(JsonParser in) throws IOException {
    JsonToken token = in.nextToken();
    if (token == JsonToken.END_OBJECT) {
      return false;
    }
    expect(in, token == JsonToken.FIELD_NAME, "a field name");
    in.nextToken();
    return true;
  }

  /** Checks that the parser is on the start of an array. */
  public static void startArray(JsonParser in) throws IOException {
    expect(in, in.currentToken() == JsonToken.START_ARRAY, "an array");
  }

  /** Moves to the next element; false at the end of the array. */
  public static boolean nextElement(JsonParser in) throws IOException {
    JsonToken token = in.nextToken();
    expect(in, token != null, "more input");
    return token != JsonToken.END_ARRAY;
  }

  /** Writes {@code "field":[…]}, each element with {@code element}. */
  public static <T> void writeArrayField(JsonGenerator out, String field, List<T> items, JsonTextCodec.Writer<T> element)
    throws IOException {
    out.writeArrayFieldStart(field);
    for (T item : items) {
      element.write(item, out);
    }
    out.writeEndArray();
  }

  /** Reads the array the parser is on, each element with {@code element}. */
  public static <T> List<T> readArray(JsonParser in, JsonTextCodec.Reader<T> element) throws IOException {
    startArray(in);
    List<T> items = new ArrayList<>();
    while (nextElement(in)) {
      items.add(element.read(in));
    }
    return items;
  }

  /** The current value as a string; null for JSON null. */
  public static String text(JsonParser in) throws IOException {
    JsonToken token = in.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(in, token == JsonToken.VALUE_STRING, "a string");
    return in.getText();
  }

  /** The current value as an int. */
  public static int integer(JsonParser in) throws IOException {
    expect(in, in.currentToken() == JsonToken.VALUE_NUMBER_INT, "an integer");
    return in.getIntValue();
  }

  /** The current value, which must not be missing. */
  public static <T> T required(JsonParser in, T value, String field) throws IOException {
    expect(in, value != null, "field " + field);
    return value;
  }

  private static void expect(JsonParser in, boolean condition, String what) throws JsonParseException {
    if (!condition) {
      throw new JsonParseException(in, "expected " + what);
    }
  }
}
