package plugins.alchemy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * JSON over HTTP for the Notify API and the RPC endpoint, non-blocking (vertx-core's client), every call bounded by
 * {@code timeoutMs} from connect to the last byte. A reply other than 2xx fails with {@link Status}.
 */
final class JsonHttp {

  /** Largest reply read; a transfers page with maxCount 1 or a webhook list is far smaller. */
  private static final int MAX_REPLY_BYTES = 4 * 1024 * 1024;

  private final HttpClient client;
  private final long timeoutMs;

  JsonHttp(HttpClient client, long timeoutMs) {
    this.client = client;
    this.timeoutMs = timeoutMs;
  }

  /** A reply with a status other than 2xx. */
  static final class Status extends RuntimeException {
    final int code;

    Status(int code, String text) {
      super("HTTP " + code + (text.isEmpty() ? "" : ": " + text));
      this.code = code;
    }
  }

  Future<JsonObject> call(HttpMethod method, String url, Map<String, String> headers, JsonObject body) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url)
      .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs);
    return client.request(options).compose(request -> {
      headers.forEach(request::putHeader);
      request.putHeader("Accept", "application/json");
      if (body == null) {
        return request.send();
      }
      request.putHeader("Content-Type", "application/json");
      return request.send(body.toBuffer());
    }).compose(response -> bounded(response).map(buffer -> {
      if (response.statusCode() / 100 != 2) {
        throw new Status(response.statusCode(), excerpt(buffer));
      }
      return buffer.length() == 0 ? new JsonObject() : new JsonObject(buffer);
    })).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The reply's body, failed (and the connection reset) once it passes {@value #MAX_REPLY_BYTES} bytes. */
  private static Future<Buffer> bounded(HttpClientResponse response) {
    Promise<Buffer> body = Promise.promise();
    Buffer buffer = Buffer.buffer();
    response.handler(chunk -> {
      if (buffer.length() + chunk.length() > MAX_REPLY_BYTES) {
        body.tryFail(new Status(response.statusCode(), "reply too large"));
        response.request().reset();
        return;
      }
      buffer.appendBuffer(chunk);
    });
    response.exceptionHandler(body::tryFail);
    response.endHandler(v -> body.tryComplete(buffer));
    return body.future();
  }

  private static String excerpt(Buffer buffer) {
    String text = buffer.toString();
    return text.length() > 200 ? text.substring(0, 200) : text;
  }
}
