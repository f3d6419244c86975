package api;

import io.vertx.core.json.JsonObject;

/**
 * Body of a {@link Action#BURST} request: emit {@code rate} updates per second for {@code durationMs}, round-robin over
 * the watched addresses (with {@code onceEach}: one update per watched address, spread over {@code durationMs}, whatever
 * the rate — for tests that count every update), each carrying its emit time in epoch microseconds as checkpoint, so that a load tool can
 * measure emit-to-receive latency through the bus hop. Reachable from outside only through the admin endpoint, and
 * only when {@code admin.benchTrigger} is on. The reply is {@code {scheduled: n}}.
 */
public record BurstRequest(int rate, long durationMs, boolean onceEach) {

  public BurstRequest(int rate, long durationMs) {
    this(rate, durationMs, false);
  }

  public JsonObject toJson() {
    return new JsonObject().put("rate", rate).put("durationMs", durationMs).put("onceEach", onceEach);
  }

  public static BurstRequest fromJson(JsonObject json) {
    return new BurstRequest(json.getInteger("rate", 0), json.getLong("durationMs"), json.getBoolean("onceEach", false));
  }

  public static JsonObject scheduledReply(long scheduled) {
    return new JsonObject().put("scheduled", scheduled);
  }
}
