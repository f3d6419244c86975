package api;

import api.wire.StreamingJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

/** Reply to a {@link Action#SUBSCRIBE} request: {@code {results:[int…]}}, one {@link ResultCode} per address, in order. */
public record SubscribeReply(int[] results) {

  static void write(SubscribeReply reply, JsonGenerator out) throws IOException {
    out.writeStartObject();
    StreamingJson.writeArrayField(out, "results", IntStream.of(reply.results).boxed().toList(), (code, json) -> json.writeNumber(code));
    out.writeEndObject();
  }

  static SubscribeReply read(JsonParser in) throws IOException {
    List<Integer> results = List.of();
    StreamingJson.startObject(in);
    while (StreamingJson.nextField(in)) {
      if ("results".equals(in.currentName())) {
        results = StreamingJson.readArray(in, StreamingJson::integer);
      } else {
        in.skipChildren();
      }
    }
    return new SubscribeReply(results.stream().mapToInt(Integer::intValue).toArray());
  }
}
