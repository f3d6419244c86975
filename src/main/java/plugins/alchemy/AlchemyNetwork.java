package plugins.alchemy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One network Alchemy serves, as this plugin knows it: the pluginId Edge gives it, Alchemy's network name (Notify
 * API), the host prefix of its RPC endpoint ({@code https://<host>.g.alchemy.com/v2/<apiKey>}), whether its addresses
 * are Solana's, and the {@code alchemy_getAssetTransfers} categories it supports (empty: no transfers API, scans
 * answer 2).
 *
 * <p>Hosts confirmed in Alchemy's docs and examples: eth-mainnet, arb-mainnet, opt-mainnet, base-mainnet,
 * polygon-mainnet, zksync-mainnet, solana-mainnet; the others follow the same {@code <chain>-mainnet} pattern and can be
 * overridden per network ({@code networks.<pluginId>.rpcHost}). Categories: Alchemy's Transfers API documents
 * {@code internal} for Ethereum and Polygon mainnet only and {@code specialnft} for Ethereum mainnet only; asking an
 * unsupported category fails the whole call, so the others ask the four categories every EVM network has.
 */
record AlchemyNetwork(String pluginId, String network, String rpcHost, boolean solana, List<String> categories) {

  private static final List<String> BASIC = List.of("external", "erc20", "erc721", "erc1155");
  private static final List<String> WITH_INTERNAL = List.of("external", "internal", "erc20", "erc721", "erc1155");
  private static final List<String> ETHEREUM = List.of("external", "internal", "erc20", "erc721", "erc1155", "specialnft");

  static final Map<String, AlchemyNetwork> DEFAULTS = new LinkedHashMap<>();

  static {
    evm("abstract", "ABSTRACT_MAINNET", "abstract-mainnet", BASIC);
    evm("arbitrum", "ARB_MAINNET", "arb-mainnet", BASIC);
    evm("avalanche", "AVAX_MAINNET", "avax-mainnet", BASIC);
    evm("base", "BASE_MAINNET", "base-mainnet", BASIC);
    evm("binancesmartchain", "BNB_MAINNET", "bnb-mainnet", BASIC);
    evm("celo", "CELO_MAINNET", "celo-mainnet", BASIC);
    evm("ethereum", "ETH_MAINNET", "eth-mainnet", ETHEREUM);
    evm("fantom", "FANTOM_MAINNET", "fantom-mainnet", BASIC);
    evm("optimism", "OPT_MAINNET", "opt-mainnet", BASIC);
    evm("polygon", "MATIC_MAINNET", "polygon-mainnet", WITH_INTERNAL);
    evm("rsk", "ROOTSTOCK_MAINNET", "rootstock-mainnet", BASIC);
    DEFAULTS.put("solana", new AlchemyNetwork("solana", "SOLANA_MAINNET", "solana-mainnet", true, List.of()));
    evm("sonic", "SONIC_MAINNET", "sonic-mainnet", BASIC);
    evm("zksync", "ZKSYNC_MAINNET", "zksync-mainnet", BASIC);
  }

  private static void evm(String pluginId, String network, String rpcHost, List<String> categories) {
    DEFAULTS.put(pluginId, new AlchemyNetwork(pluginId, network, rpcHost, false, categories));
  }

  /** Whether checkpoint scans are possible on this network at all. */
  boolean scannable() {
    return !categories.isEmpty();
  }
}
