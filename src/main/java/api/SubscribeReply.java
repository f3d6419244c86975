package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.Arrays;

/** Reply to a {@link Action#SUBSCRIBE} request: {@code {results:[int…]}}, one {@link ResultCode} per address, in order. */
public record SubscribeReply(int[] results) {

  static void write(SubscribeReply reply, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeArrayFieldStart("results");
    for (int result : reply.results) {
      out.writeNumber(result);
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  static SubscribeReply read(JsonParser in) throws IOException {
    int[] results = new int[0];
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      if ("results".equals(in.currentName())) {
        StreamingJson.startArray(in);
        int count = 0;
        while (StreamingJson.nextElement(in)) {
          if (count == results.length) {
            results = Arrays.copyOf(results, Math.max(16, count * 2));
          }
          results[count++] = StreamingJson.integer(in);
        }
        results = Arrays.copyOf(results, count);
      } else {
        in.skipChildren();
      }
    }
    return new SubscribeReply(results);
  }
}
