/**
 * One EVM chain per JVM (web3j), served to hubs through {@link plugins.host.PluginVerticle} like any plugin:
 * {@link chainworker.ChainFollower} follows the chain block by block (reorgs included), {@link chainworker.BlockReader}
 * and {@link chainworker.BlockMatcher} find the addresses each block touched, {@link chainworker.CheckpointScanner}
 * answers "anything after block C?". Every upstream call goes through {@link chainworker.EvmRpc}, whose web3j
 * implementation keeps blocking I/O on a bounded worker pool.
 */
package chainworker;
