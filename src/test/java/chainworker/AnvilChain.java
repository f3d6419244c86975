package chainworker;

import okhttp3.OkHttpClient;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import testkit.AnvilNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * Drives an {@link AnvilNode} from the test thread through web3j: transactions from anvil's unlocked accounts
 * ({@code eth_sendTransaction}; automine puts each in its own block), the test contracts of {@code src/test/resources/evm},
 * and anvil's own methods (mine, reorg). Follows the node to whatever port it runs on now.
 */
final class AnvilChain {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final AnvilNode node;
  private final OkHttpClient http = new OkHttpClient();
  private HttpService service;
  private Web3j web3j;
  private int connectedPort = -1;

  AnvilChain(AnvilNode node) {
    this.node = node;
  }

  /** An address nothing has touched yet (lowercase). */
  static String freshAddress() {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  /** One of anvil's funded, unlocked accounts (lowercase, as the node lists them). */
  String account(int index) {
    return send(web3j().ethAccounts()).getAccounts().get(index);
  }

  long head() {
    return send(web3j().ethBlockNumber()).getBlockNumber().longValueExact();
  }

  BigInteger nonce(String address) {
    return send(web3j().ethGetTransactionCount(address, DefaultBlockParameterName.LATEST)).getTransactionCount();
  }

  BigInteger balance(String address) {
    return send(web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST)).getBalance();
  }

  /** Sends ETH; returns the block it was mined in. */
  long sendEth(String from, String to, BigInteger wei) {
    return mined(submitEth(from, to, wei)).getBlockNumber().longValueExact();
  }

  /** Sends ETH without waiting for it to be mined; returns the transaction hash. */
  String submitEth(String from, String to, BigInteger wei) {
    return send(web3j().ethSendTransaction(Transaction.createEtherTransaction(from, null, null, null, to, wei))).getTransactionHash();
  }

  /** Calls a contract function; returns the block it was mined in. */
  long call(String from, String contract, BigInteger wei, String function, Type<?>... args) {
    String data = FunctionEncoder.encode(new Function(function, List.of(args), List.of()));
    Transaction call = Transaction.createFunctionCallTransaction(from, null, null, null, contract, wei, data);
    return mined(send(web3j().ethSendTransaction(call)).getTransactionHash()).getBlockNumber().longValueExact();
  }

  /** Deploys {@code evm/<contract>.bin} with constructor arguments; the receipt holds the address and the block. */
  TransactionReceipt deploy(String from, String contract, Type<?>... constructorArgs) {
    String init = "0x" + resource("/evm/" + contract + ".bin").trim() + FunctionEncoder.encodeConstructor(List.of(constructorArgs));
    Transaction creation = Transaction.createContractTransaction(from, null, null, null, BigInteger.ZERO, init);
    return mined(send(web3j().ethSendTransaction(creation)).getTransactionHash());
  }

  static Type<?> address(String address) {
    return new Address(address);
  }

  static Type<?> uint(long value) {
    return new Uint256(value);
  }

  void mine() {
    send(new Request<>("evm_mine", List.of(), service(), VoidResponse.class));
  }

  /** Off: transactions wait in the pool until {@link #mine}, so one block can hold many. */
  void automine(boolean on) {
    send(new Request<>("evm_setAutomine", List.of(on), service(), VoidResponse.class));
  }

  /** Replaces the latest block by one holding a single ETH transfer instead ({@code anvil_reorg} of depth 1). */
  void reorgLastBlockInto(String from, String to, BigInteger wei) {
    Map<String, String> transaction = Map.of("from", from, "to", to, "value", Numeric.encodeQuantity(wei));
    send(new Request<>("anvil_reorg", List.of(1, List.of(List.of(transaction, 0))), service(), VoidResponse.class));
  }

  /** The recipients of the transactions in a block. */
  List<String> recipients(long number) {
    EthBlock.Block block = send(web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), true)).getBlock();
    return block.getTransactions().stream().map(result -> ((EthBlock.TransactionObject) result.get()).getTo()).toList();
  }

  /** Automine mines right after eth_sendTransaction returns, not before: the receipt can take a moment. */
  private TransactionReceipt mined(String transactionHash) {
    TransactionReceipt receipt = await("receipt of " + transactionHash).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
      .until(() -> send(web3j().ethGetTransactionReceipt(transactionHash)).getTransactionReceipt(), Optional::isPresent)
      .orElseThrow();
    if (!receipt.isStatusOK()) {
      throw new IllegalStateException("transaction " + transactionHash + " reverted");
    }
    return receipt;
  }

  private Web3j web3j() {
    service();
    return web3j;
  }

  private HttpService service() {
    if (node.port() != connectedPort) {
      service = new HttpService(node.url(), http);
      web3j = Web3j.build(service);
      connectedPort = node.port();
    }
    return service;
  }

  private static <R extends Response<?>> R send(Request<?, R> request) {
    try {
      R response = request.send();
      if (response.hasError()) {
        throw new IllegalStateException(request.getMethod() + ": " + response.getError().getMessage());
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String path) {
    try (InputStream in = AnvilChain.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
