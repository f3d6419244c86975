package chainworker;

import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** One upstream URL as web3j reaches it: typed calls through {@code web3j}, raw ones (traces) through {@code service}. */
record RpcEndpoint(Upstream upstream, HttpService service, Web3j web3j) {
}
