package api.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;

import java.io.IOException;

/**
 * Carries one record of the contract: across the cluster as JSON text (a length, then UTF-8 JSON in the shape
 * DESIGN.md gives), written and read with Jackson's streaming API; inside one JVM as the record itself. Sending a
 * {@code JsonObject} instead built a tree of maps per address on both sides of the hop and copied it on local sends,
 * which was most of the cost of a subscribe (docs/BENCHMARKS.md). The records are never changed after they are sent.
 */
public final class JsonTextCodec<T> implements MessageCodec<T, T> {

  private static final JsonFactory JSON = new JsonFactory();

  /** Writes a record as one JSON value. */
  @FunctionalInterface
  public interface Writer<T> {
    void write(T value, JsonGenerator out) throws IOException;
  }

  /** Reads a record from a parser positioned on its first token. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(JsonParser in) throws IOException;
  }

  private final String name;
  private final Writer<T> writer;
  private final Reader<T> reader;

  public JsonTextCodec(String name, Writer<T> writer, Reader<T> reader) {
    this.name = name;
    this.writer = writer;
    this.reader = reader;
  }

  /** The record as JSON text (also what crosses the cluster, after its length). */
  public byte[] toBytes(T value) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    try (JsonGenerator out = JSON.createGenerator(bytes)) {
      writer.write(value, out);
    } catch (IOException e) {
      throw new EncodeException("cannot write " + name + ": " + e.getMessage());
    }
    return bytes.toByteArray();
  }

  /** Reads one record from JSON text; a malformed or incomplete body is a {@link DecodeException}. */
  public T fromBytes(byte[] json, int offset, int length) {
    try (JsonParser in = JSON.createParser(json, offset, length)) {
      in.nextToken();
      return reader.read(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new DecodeException("malformed " + name + ": " + e.getMessage());
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    byte[] json = toBytes(value);
    buffer.appendInt(json.length).appendBytes(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    byte[] json = buffer.getBytes(pos + 4, pos + 4 + length);
    return fromBytes(json, 0, json.length);
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
