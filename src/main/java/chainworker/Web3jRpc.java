package chainworker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import ops.UpstreamCounters;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import support.EvmAddress;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link EvmRpc} over web3j's blocking HTTP client. Replies are mapped to plain records on the worker thread, so
 * nothing of web3j leaks out. OkHttp's call timeout bounds each attempt, which also frees its worker thread.
 */
final class Web3jRpc implements EvmRpc {

  /** A reply whose result is kept as parsed JSON (lists and maps), for methods web3j has no type for. */
  public static final class RawResponse extends Response<Object> {
  }

  private final BlockingHttp http;
  private final FailoverCaller<RpcEndpoint> caller;

  private Web3jRpc(BlockingHttp http, FailoverCaller<RpcEndpoint> caller) {
    this.http = http;
    this.caller = caller;
  }

  static Web3jRpc create(Vertx vertx, EvmSettings settings, List<Upstream> upstreams, UpstreamCounters counters) {
    BlockingHttp http = BlockingHttp.create(vertx, "evm-rpc-" + settings.pluginId(), settings.workerPoolSize(), settings.callTimeoutMs());
    List<RpcEndpoint> endpoints = upstreams.stream().map(upstream -> {
      HttpService service = new HttpService(upstream.url(), http.client());
      return new RpcEndpoint(upstream, service, Web3j.build(service));
    }).toList();
    FailoverCaller<RpcEndpoint> caller =
      new FailoverCaller<>(vertx, settings.pluginId(), http, endpoints, RpcEndpoint::upstream, settings.maxAttempts(), settings.retryBackoffMs(), counters);
    return new Web3jRpc(http, caller);
  }

  @Override
  public Future<BlockHeader> latestHeader() {
    return caller.call("eth_getBlockByNumber", endpoint -> {
      EthBlock.Block block = send(endpoint, endpoint.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
      if (block == null) {
        throw new IllegalStateException("no latest block");
      }
      return header(block);
    });
  }

  @Override
  public Future<EvmBlock> block(long number) {
    return caller.call("eth_getBlockByNumber", endpoint -> {
      EthBlock.Block block = send(endpoint, endpoint.web3j().ethGetBlockByNumber(at(number), true)).getBlock();
      if (block == null) {
        throw new IllegalStateException("block " + number + " not available");
      }
      List<EvmTransaction> transactions = new ArrayList<>(block.getTransactions().size());
      for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
        EthBlock.TransactionObject transaction = (EthBlock.TransactionObject) result.get();
        String from = EvmAddress.fromNode(transaction.getFrom());
        transactions.add(new EvmTransaction(transaction.getHash(), from, EvmAddress.fromNode(transaction.getTo())));
      }
      return new EvmBlock(header(block), transactions);
    });
  }

  @Override
  public Future<List<EvmLog>> logs(LogFilter filter) {
    EthFilter ethFilter = filter.blockHash() != null
      ? new EthFilter(filter.blockHash())
      : new EthFilter(at(filter.fromBlock()), at(filter.toBlock()), (List<String>) null);
    for (List<String> alternatives : filter.topics()) {
      if (alternatives == null) {
        ethFilter.addNullTopic();
      } else {
        ethFilter.addOptionalTopics(alternatives.toArray(String[]::new));
      }
    }
    return caller.call("eth_getLogs", endpoint -> {
      List<EvmLog> logs = new ArrayList<>();
      for (EthLog.LogResult<?> result : send(endpoint, endpoint.web3j().ethGetLogs(ethFilter)).getLogs()) {
        logs.add(new EvmLog(((EthLog.LogObject) result.get()).getTopics()));
      }
      return logs;
    });
  }

  @Override
  public Future<String> createdContract(String transactionHash) {
    return caller.call("eth_getTransactionReceipt", endpoint ->
      send(endpoint, endpoint.web3j().ethGetTransactionReceipt(transactionHash)).getTransactionReceipt()
        .map(receipt -> EvmAddress.fromNode(receipt.getContractAddress()))
        .orElseThrow(() -> new IllegalStateException("no receipt yet")));
  }

  @Override
  public Future<BigInteger> nonce(String address, long blockNumber) {
    return caller.call("eth_getTransactionCount", endpoint ->
      send(endpoint, endpoint.web3j().ethGetTransactionCount(address, at(blockNumber))).getTransactionCount());
  }

  @Override
  public Future<BigInteger> balance(String address, long blockNumber) {
    return caller.call("eth_getBalance", endpoint -> send(endpoint, endpoint.web3j().ethGetBalance(address, at(blockNumber))).getBalance());
  }

  @Override
  public Future<JsonArray> traceBlock(long number) {
    return raw("trace_block", List.of(Numeric.encodeQuantity(BigInteger.valueOf(number))));
  }

  @Override
  public Future<JsonArray> debugTraceBlock(long number) {
    return raw("debug_traceBlockByNumber", List.of(Numeric.encodeQuantity(BigInteger.valueOf(number)), Map.of("tracer", "callTracer")));
  }

  @Override
  public Future<Void> close() {
    return http.close();
  }

  private Future<JsonArray> raw(String method, List<Object> params) {
    return caller.call(method, endpoint -> {
      Object result = send(endpoint, new Request<>(method, params, endpoint.service(), RawResponse.class)).getResult();
      if (!(result instanceof List<?> list)) {
        throw new IllegalStateException(method + " returned no list");
      }
      return new JsonArray(new ArrayList<>(list));
    });
  }

  /** Sends on the calling (worker) thread; a JSON-RPC error becomes {@link RpcErrorException}. */
  private static <R extends Response<?>> R send(RpcEndpoint endpoint, Request<?, R> request) throws IOException {
    R response = request.send();
    if (response.hasError()) {
      Response.Error error = response.getError();
      throw new RpcErrorException(request.getMethod(), error.getCode(), endpoint.upstream().redact(error.getMessage()));
    }
    return response;
  }

  private static BlockHeader header(EthBlock.Block block) {
    return new BlockHeader(block.getNumber().longValueExact(), block.getHash(), block.getParentHash());
  }

  private static DefaultBlockParameter at(long number) {
    return DefaultBlockParameter.valueOf(BigInteger.valueOf(number));
  }
}
