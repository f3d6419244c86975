package bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code change-server bench …}: a load client for any server speaking PROTOCOL.md, with a plugin that behaves like
 * {@code fake} (one update per address, about a second after its first subscriber). See README, "Benchmarking".
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
  description = {
    "Opens N sockets, subscribes M addresses on each, waits for the N×M updates, optionally measures emit→receive "
      + "latency, closes everything and times how long the server takes to serve a fresh socket promptly again.",
    "With --reconnect-storm, instead of the burst: every socket turns Edge-like (reconnect exactly 5 s after a close or "
      + "a refused connect, then subscribe everything again in sequential calls of at most 100), the restart command "
      + "restarts the server, and the tool times until every socket has all its answers again.",
    "Prints a summary, then one line of JSON. Exit code 0 when every socket opened, every call was answered, "
      + "every update came and, in a storm, every socket was served again with results; 1 otherwise."})
public final class LoadCommand implements Callable<Integer> {

  /** The storm's wallets are synced wallets: they subscribe with a checkpoint, which the server scans after. */
  static final String STORM_CHECKPOINT = "1000000";

  @Spec
  private CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "ws://127.0.0.1:8008",
    description = "Server WebSocket URL. Default: ${DEFAULT-VALUE}.")
  private URI url;

  @Option(names = "--sockets", paramLabel = "N", defaultValue = "100",
    description = "Sockets to open (N). Default: ${DEFAULT-VALUE}.")
  private int sockets;

  @Option(names = "--addresses", paramLabel = "M", defaultValue = "100",
    description = "Addresses per socket (M). Default: ${DEFAULT-VALUE}.")
  private int addresses;

  @Option(names = "--shared", description = "All sockets subscribe the same M addresses (default: M of their own).")
  private boolean shared;

  @Option(names = "--batch", paramLabel = "B", description = "Tuples per subscribe call. Default: all M in one call "
    + "(with --reconnect-storm: " + EdgeSocket.CALL_SIZE + ", as Edge's wallet).")
  private Integer batch;

  @Option(names = "--handshake-concurrency", paramLabel = "C", defaultValue = "200",
    description = "Handshakes in flight at once. Default: ${DEFAULT-VALUE}.")
  private int handshakeConcurrency;

  @Option(names = "--plugin", paramLabel = "ID", defaultValue = "fake",
    description = "pluginId of every tuple. Default: ${DEFAULT-VALUE}.")
  private String pluginId;

  @Option(names = "--pid", paramLabel = "PID",
    description = "Server's root process: sample CPU and RSS of it and all its descendants (Linux /proc).")
  private long pid;

  @Option(names = "--live-heap", description = "With --pid: also measure the live Java heap of the server's JVMs (jcmd "
    + "GC.run, then GC.heap_info) before the sockets open and after the updates. Forces full GCs in the server.")
  private boolean liveHeap;

  @Option(names = "--update-timeout-ms", paramLabel = "MS", defaultValue = "60000",
    description = "Longest wait for the updates after the subscribe phase. Default: ${DEFAULT-VALUE}.")
  private long updateTimeoutMs;

  @Option(names = "--phase-timeout-ms", paramLabel = "MS", defaultValue = "120000",
    description = "Longest connect, subscribe or close phase, and longest wait for the storm's sockets after the restart "
      + "command returned. Default: ${DEFAULT-VALUE}.")
  private long phaseTimeoutMs;

  @Option(names = "--burst-rate", paramLabel = "PER_SECOND",
    description = "Updates per second the server should emit in the burst phase (needs admin.benchTrigger). Default: no burst phase.")
  private int burstRate;

  @Option(names = "--burst-ms", paramLabel = "MS", defaultValue = "5000",
    description = "Length of the burst. Default: ${DEFAULT-VALUE}.")
  private long burstMs;

  @Option(names = "--admin", paramLabel = "URL", defaultValue = "http://127.0.0.1:8009",
    description = "Server admin URL, for the burst trigger. Default: ${DEFAULT-VALUE}.")
  private URI admin;

  @Option(names = "--event-loops", paramLabel = "N", description = "Event loops of this tool. Default: one per core.")
  private Integer eventLoops;

  @Option(names = "--deflate", description = "Offer permessage-deflate in every handshake, as Node's ws and Android's "
    + "OkHttp do; the report says on how many sockets the server granted it.")
  private boolean deflate;

  @Option(names = "--reconnect-storm", description = "After the updates, instead of a burst: every socket reconnects "
    + "and re-subscribes as Edge's wallet does while --restart-command restarts the server; every tuple carries the "
    + "checkpoint " + STORM_CHECKPOINT + ".")
  private boolean reconnectStorm;

  @Option(names = "--restart-command", paramLabel = "CMD", description = "With --reconnect-storm: restarts the server "
    + "(run with /bin/sh -c; e.g. docs/restart-server.sh). A number on its last stdout line is the new server's root "
    + "pid, whose tree --pid then samples.")
  private String restartCommand;

  @Option(names = "--local-address", paramLabel = "IP", description = "Local address to connect from; repeat to spread sockets "
    + "over several (one address reaches one server port from at most ~28k ephemeral ports; on loopback use 127.0.0.2, …).")
  private List<String> localAddresses = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    LoadPlan plan = plan();
    BenchReport report = new LoadRun(plan).run();
    report.print(System.out);
    return report.complete() ? 0 : 1;
  }

  private LoadPlan plan() {
    require(sockets > 0, "--sockets must be at least 1");
    require(addresses > 0, "--addresses must be at least 1");
    require(batch == null || batch > 0, "--batch must be at least 1");
    require(handshakeConcurrency > 0, "--handshake-concurrency must be at least 1");
    require(url.getScheme() != null && url.getScheme().matches("(?i)wss?") && url.getHost() != null, "--url must be ws://host:port or wss://…");
    require(burstRate >= 0 && burstMs > 0, "--burst-rate and --burst-ms must be positive");
    int loops = eventLoops != null ? eventLoops : Runtime.getRuntime().availableProcessors();
    require(loops > 0, "--event-loops must be at least 1");
    require(!liveHeap || pid > 0, "--live-heap needs --pid");
    require(!reconnectStorm || restartCommand != null && !restartCommand.isBlank(), "--reconnect-storm needs --restart-command");
    require(reconnectStorm || restartCommand == null, "--restart-command needs --reconnect-storm");
    require(!reconnectStorm || burstRate == 0, "--reconnect-storm takes the burst phase's place: drop --burst-rate");
    LoadPlan.BurstPlan burst = burstRate > 0 ? new LoadPlan.BurstPlan(admin, burstRate, burstMs) : null;
    LoadPlan.StormPlan storm = reconnectStorm ? new LoadPlan.StormPlan(restartCommand) : null;
    int perCall = batch != null ? batch : reconnectStorm ? EdgeSocket.CALL_SIZE : addresses;
    return new LoadPlan(url, sockets, addresses, shared, Math.min(perCall, addresses), handshakeConcurrency, pluginId,
      updateTimeoutMs, phaseTimeoutMs, loops, List.copyOf(localAddresses), burst, pid, liveHeap, deflate,
      reconnectStorm ? STORM_CHECKPOINT : null, storm);
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
