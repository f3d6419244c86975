package chainworker;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import support.EvmAddress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Addresses reached by a block's internal calls that moved value or created a contract: one trace call per block,
 * {@code trace_block} or {@code debug_traceBlockByNumber} with the callTracer, whichever the node answers first
 * (decided once, then remembered; the reference fell back to one trace per transaction on every block). A node that
 * answers both with an error cannot trace: internal transfers are then not seen, and that is logged once.
 */
final class InternalTransfers {

  private static final Logger log = LoggerFactory.getLogger(InternalTransfers.class);

  private enum Method { UNDECIDED, TRACE_BLOCK, CALL_TRACER, NONE }

  private final EvmRpc rpc;
  private final String pluginId;
  private Method method;

  InternalTransfers(EvmRpc rpc, String pluginId, boolean enabled) {
    this.rpc = rpc;
    this.pluginId = pluginId;
    this.method = enabled ? Method.UNDECIDED : Method.NONE;
  }

  /** Fails when the node could not be reached; the block is then read again later. */
  Future<List<String>> touched(long blockNumber) {
    return switch (method) {
      case TRACE_BLOCK -> rpc.traceBlock(blockNumber).map(InternalTransfers::fromTraceBlock);
      case CALL_TRACER -> rpc.debugTraceBlock(blockNumber).map(InternalTransfers::fromCallTracer);
      case NONE -> Future.succeededFuture(List.of());
      case UNDECIDED -> detect(blockNumber);
    };
  }

  private Future<List<String>> detect(long blockNumber) {
    return rpc.traceBlock(blockNumber)
      .map(traces -> decided(Method.TRACE_BLOCK, fromTraceBlock(traces)))
      .recover(traceFailure -> {
        if (!(traceFailure instanceof RpcErrorException)) {
          return Future.failedFuture(traceFailure);
        }
        return rpc.debugTraceBlock(blockNumber)
          .map(results -> decided(Method.CALL_TRACER, fromCallTracer(results)))
          .recover(debugFailure -> {
            if (!(debugFailure instanceof RpcErrorException)) {
              return Future.failedFuture(debugFailure);
            }
            log.atWarn().addKeyValue("pluginId", pluginId).addKeyValue("traceError", traceFailure.getMessage())
              .addKeyValue("debugTraceError", debugFailure.getMessage()).log("no trace method: internal transfers will not be seen");
            return Future.succeededFuture(decided(Method.NONE, List.of()));
          });
      });
  }

  private List<String> decided(Method chosen, List<String> touched) {
    if (method != chosen) {
      method = chosen;
      log.atInfo().addKeyValue("pluginId", pluginId).addKeyValue("method", chosen.name().toLowerCase(Locale.ROOT)).log("trace method chosen");
    }
    return touched;
  }

  /**
   * {@code trace_block}: a flat list, one entry per call frame ({@code action.from/to/value}), creation
   * ({@code result.address}) or self-destruct ({@code action.address/refundAddress/balance}). A frame with an
   * {@code error} moved nothing. Top-level frames repeat the transaction's own parties, which is harmless.
   */
  static List<String> fromTraceBlock(JsonArray traces) {
    List<String> touched = new ArrayList<>();
    for (int i = 0; i < traces.size(); i++) {
      JsonObject trace = traces.getJsonObject(i);
      if (trace.getValue("error") != null) {
        continue;
      }
      JsonObject action = trace.getJsonObject("action", new JsonObject());
      switch (trace.getString("type", "")) {
        case "call" -> {
          if (movesValue(action.getString("value")) && !"delegatecall".equals(action.getString("callType"))) {
            add(touched, action.getString("from"));
            add(touched, action.getString("to"));
          }
        }
        case "create" -> {
          add(touched, action.getString("from"));
          add(touched, trace.getJsonObject("result", new JsonObject()).getString("address"));
        }
        case "suicide" -> {
          if (movesValue(action.getString("balance"))) {
            add(touched, action.getString("address"));
            add(touched, action.getString("refundAddress"));
          }
        }
        default -> {
          // reward and other frames move no value between accounts we could be asked about
        }
      }
    }
    return touched;
  }

  /**
   * {@code debug_traceBlockByNumber} callTracer: one {@code {txHash?, result}} per transaction, each result a call tree
   * ({@code type, from, to, value, error?, calls?}). A frame with an error was reverted, and so was all beneath it.
   */
  static List<String> fromCallTracer(JsonArray results) {
    List<String> touched = new ArrayList<>();
    Deque<JsonObject> frames = new ArrayDeque<>();
    for (int i = 0; i < results.size(); i++) {
      JsonObject frame = results.getJsonObject(i).getJsonObject("result");
      if (frame != null) {
        frames.push(frame);
      }
    }
    while (!frames.isEmpty()) {
      JsonObject frame = frames.pop();
      if (frame.getValue("error") != null) {
        continue;
      }
      String type = frame.getString("type", "").toUpperCase(Locale.ROOT);
      boolean creates = type.startsWith("CREATE");
      boolean transfers = movesValue(frame.getString("value")) && !type.equals("DELEGATECALL");
      if (creates || transfers) {
        add(touched, frame.getString("from"));
        add(touched, frame.getString("to"));
      }
      JsonArray calls = frame.getJsonArray("calls");
      for (int i = 0; calls != null && i < calls.size(); i++) {
        frames.push(calls.getJsonObject(i));
      }
    }
    return touched;
  }

  private static boolean movesValue(String hexValue) {
    if (hexValue == null) {
      return false;
    }
    for (int i = hexValue.startsWith("0x") ? 2 : 0; i < hexValue.length(); i++) {
      if (hexValue.charAt(i) != '0') {
        return true;
      }
    }
    return false;
  }

  private static void add(List<String> touched, String address) {
    if (address != null) {
      touched.add(EvmAddress.fromNode(address));
    }
  }
}
