/**
 * One EVM chain per JVM (web3j): block following, address matching and checkpoint scans, served to hubs through
 * {@link api.plugin.PluginVerticle} like any plugin. Built by the EVM issue; empty until then.
 */
package chainworker;
