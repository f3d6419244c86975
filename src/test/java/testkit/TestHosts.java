package testkit;

import org.junit.jupiter.api.Assertions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several "hosts" on this one machine for integration tests: each host is a Linux network namespace
 * ({@code cs<id>-h<i>}) joined by a veth pair ({@code cs<id>-n<i>} inside, {@code cs<id>-b<i>} outside) to a bridge
 * ({@code csbr<id>}) in the root namespace, on a /24 of 10.213.0.0/16 that nothing on this machine uses. The bridge has
 * {@code .1} ({@link #bridgeAddress}), host {@code i} has {@code .(i+2)} ({@link #address}); the test JVM reaches the
 * hosts through the bridge. A namespace has no default route and forwarding is left as it is, so a host reaches only
 * the other hosts, the bridge address and its own loopback: no test traffic can leave the machine. Multicast between
 * the hosts is off until {@link #enableMulticast()}.
 *
 * <p>Needs root and iproute2 ({@code ip}, {@code tc}); tests call {@link #require()} first. Links can be cut
 * ({@link #linkDown}) and slowed ({@link #netem}, which needs the kernel's {@code sch_netem}, see
 * {@link #netemAvailable()}).
 *
 * <p>Pitfall: where {@code br_netfilter} is loaded with {@code net.bridge.bridge-nf-call-iptables=1} (Docker hosts),
 * traffic between two hosts crosses the root namespace's iptables FORWARD chain, and a DROP policy there cuts it.
 */
public final class TestHosts implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
  private static final String OWNER_TAG = "cs-testhosts";
  private static final Pattern BRIDGE = Pattern.compile("csbr([0-9a-f]{4})");
  private static final Pattern VETH = Pattern.compile("cs([0-9a-f]{4})-[bn]\\d+");
  private static final Pattern NAMESPACE = Pattern.compile("cs([0-9a-f]{4})-h\\w+");
  private static final Pattern OWNER = Pattern.compile(OWNER_TAG + " pid=(\\d+) start=(\\d+)");
  /** Fixed, not java.io.tmpdir: every JVM on the machine (whatever its tmpdir) must take the same lock. */
  private static final Path LOCK_FILE = Path.of("/tmp", "cs-testhosts.lock");
  private static final int MAX_HOSTS = 200;

  private static String unavailableReason;
  private static boolean probed;
  private static Boolean netem;

  private final String id;
  private final String subnet;
  private final int count;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::close, "test-hosts-cleanup");

  private TestHosts(String id, int octet, int count) {
    this.id = id;
    this.subnet = "10.213." + octet;
    this.count = count;
  }

  /** True when this JVM runs as root on Linux and can make network namespaces, veth pairs and bridges. */
  public static boolean available() {
    return whyUnavailable() == null;
  }

  /**
   * Fails the calling test, saying what is missing, when {@link #available()} is false: a skipped multi-host test would
   * hide that failover across hosts went untested.
   */
  public static void require() {
    String reason = whyUnavailable();
    if (reason != null) {
      Assertions.fail("network-namespace tests need root and iproute2 (ip netns, veth, bridge): " + reason
        + "; run them as root (.ci/run installs iproute2 and iptables)");
    }
  }

  /** True when {@code tc ... netem} works here (the kernel has {@code sch_netem}); needs {@link #available()}. */
  public static synchronized boolean netemAvailable() {
    if (netem == null) {
      netem = available() && withLock(() -> {
        String namespace = "cs" + unusedId() + "-hq";
        run(List.of("ip", "netns", "add", namespace));
        try {
          return exec(List.of("tc", "-n", namespace, "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms")).exit == 0;
        } finally {
          run(List.of("ip", "netns", "delete", namespace));
        }
      });
    }
    return netem;
  }

  /**
   * Makes {@code count} hosts on a fresh bridge, after removing what crashed earlier runs left behind
   * ({@link #removeStale}). Fails unless every host address is routed through this bridge.
   */
  public static TestHosts create(int count) {
    if (count < 1 || count > MAX_HOSTS) {
      throw new IllegalArgumentException("count must be 1.." + MAX_HOSTS + ": " + count);
    }
    String reason = whyUnavailable();
    if (reason != null) {
      throw new IllegalStateException("network namespaces unavailable: " + reason);
    }
    TestHosts hosts = withLock(() -> {
      removeStaleLocked();
      TestHosts made = new TestHosts(unusedId(), freeSubnetOctet(), count);
      try {
        made.build();
      } catch (RuntimeException e) {
        made.closeQuietly(e);
        throw e;
      }
      return made;
    });
    try {
      hosts.verifyRoutes();
    } catch (RuntimeException e) {
      hosts.closeQuietly(e);
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(hosts.shutdownHook);
    return hosts;
  }

  /** Deletes the namespaces, veths and bridges of earlier runs whose JVM is gone; those of live JVMs stay. */
  public static void removeStale() {
    String reason = whyUnavailable();
    if (reason != null) {
      throw new IllegalStateException("network namespaces unavailable: " + reason);
    }
    withLock(() -> {
      removeStaleLocked();
      return null;
    });
  }

  /** Host {@code host}'s IPv4 address (the one JVMs there bind to). */
  public String address(int host) {
    checkHost(host);
    return subnet + "." + (host + 2);
  }

  /** The root namespace's address on the bridge (the test JVM's address as the hosts see it). */
  public String bridgeAddress() {
    return subnet + ".1";
  }

  /** The namespace name of host {@code host}. */
  public String namespace(int host) {
    checkHost(host);
    return "cs" + id + "-h" + host;
  }

  public int count() {
    return count;
  }

  /**
   * {@code cmd} run inside host {@code host}: {@code ip netns exec <ns> cmd...}. {@code ip netns exec} execs the command
   * (no fork), so the started process is the command itself.
   */
  public List<String> command(int host, List<String> cmd) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
    command.addAll(cmd);
    return List.copyOf(command);
  }

  /**
   * Cuts host {@code host}'s link both ways, like a pulled cable: the bridge-side veth goes down, so the host's own
   * interface loses its carrier. Packets are dropped silently (no reset, no ICMP): connections time out.
   */
  public void linkDown(int host) {
    checkOpen();
    run(List.of("ip", "link", "set", "dev", bridgeVeth(host), "down"));
  }

  /** Restores host {@code host}'s link; returns once the host's interface has its carrier again. */
  public void linkUp(int host) {
    checkOpen();
    run(List.of("ip", "link", "set", "dev", bridgeVeth(host), "up"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      String inside = run(List.of("ip", "-n", namespace(host), "-o", "link", "show", "dev", hostVeth(host)));
      if (inside.contains("LOWER_UP")) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(hostVeth(host) + " has no carrier 5 s after link up: " + inside);
      }
      sleep(20);
    }
  }

  /**
   * Applies {@code tc netem <spec>} (e.g. {@code "delay 50ms 10ms loss 1%"}) on both directions of host {@code host}'s
   * link, replacing any earlier one: a delay is thus paid once each way (a round trip gets twice). Fails where the
   * kernel has no {@code sch_netem} ({@link #netemAvailable()}).
   */
  public void netem(int host, String spec) {
    checkOpen();
    List<String> args = Arrays.stream(spec.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    if (args.isEmpty()) {
      throw new IllegalArgumentException("empty netem spec");
    }
    try {
      run(concat(List.of("tc", "-n", namespace(host), "qdisc", "replace", "dev", hostVeth(host), "root", "netem"), args));
      run(concat(List.of("tc", "qdisc", "replace", "dev", bridgeVeth(host), "root", "netem"), args));
    } catch (IllegalStateException e) {
      if (e.getMessage().contains("qdisc kind is unknown")) {
        throw new IllegalStateException("this kernel has no sch_netem (CONFIG_NET_SCH_NETEM): " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /** Removes what {@link #netem} applied to host {@code host}'s link (nothing if none). */
  public void clearNetem(int host) {
    checkOpen();
    if (run(List.of("tc", "-n", namespace(host), "qdisc", "show", "dev", hostVeth(host), "root")).contains("netem")) {
      run(List.of("tc", "-n", namespace(host), "qdisc", "del", "dev", hostVeth(host), "root"));
    }
    if (run(List.of("tc", "qdisc", "show", "dev", bridgeVeth(host), "root")).contains("netem")) {
      run(List.of("tc", "qdisc", "del", "dev", bridgeVeth(host), "root"));
    }
  }

  /**
   * Makes the bridge carry IPv4 multicast like a plain LAN switch: each host routes {@code 224.0.0.0/4} out of its link
   * (it has no default route), for senders that do not pick their interface themselves, and the bridge floods every
   * group to every port instead of snooping IGMP (with no querier on the bridge, whether a group reaches a port would
   * otherwise depend on which reports the bridge happened to see). Hazelcast names its interface and found its peers
   * here without this too; with it, a test does not rest on those defaults. The multicast stays on the bridge.
   */
  public void enableMulticast() {
    checkOpen();
    run(List.of("ip", "link", "set", "dev", bridge(), "type", "bridge", "mcast_snooping", "0"));
    for (int host = 0; host < count; host++) {
      run(List.of("ip", "-n", namespace(host), "route", "add", "224.0.0.0/4", "dev", hostVeth(host)));
    }
  }

  /**
   * Drops {@code percent} % of the packets crossing host {@code host}'s link, each way, with iptables' statistic match
   * inside its namespace (for kernels without {@code sch_netem}, where {@link #netem} cannot add loss). Needs the
   * {@code iptables} command; the rules go with the namespace.
   */
  public void loss(int host, double percent) {
    checkOpen();
    String probability = String.format(java.util.Locale.ROOT, "%.4f", percent / 100);
    for (String chain : List.of("INPUT", "OUTPUT")) {
      String direction = chain.equals("INPUT") ? "-i" : "-o";
      run(List.of("ip", "netns", "exec", namespace(host), "iptables", "-A", chain, direction, hostVeth(host),
        "-m", "statistic", "--mode", "random", "--probability", probability, "-j", "DROP"));
    }
  }

  /**
   * Deletes the veths, namespaces and bridge; kills nothing (a process still inside a namespace is only reported, and
   * loses its link). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
        // nothing to remove
      }
    }
    List<String> problems = new ArrayList<>();
    Set<String> namespaces = new HashSet<>(namespaceNames());
    for (int host = 0; host < count; host++) {
      String namespace = namespace(host);
      if (namespaces.contains(namespace)) {
        Result pids = exec(List.of("ip", "netns", "pids", namespace));
        if (pids.exit == 0 && !pids.out.isBlank()) {
          System.err.println("TestHosts: processes still in " + namespace + " (not killed): " + pids.out.trim().replace('\n', ' '));
        }
      }
    }
    Set<String> links = new HashSet<>(linkNames());
    for (int host = 0; host < count; host++) {
      if (links.contains(bridgeVeth(host))) {
        deleteLink(bridgeVeth(host), problems);
      }
    }
    for (int host = 0; host < count; host++) {
      if (namespaces.contains(namespace(host))) {
        deleteNamespace(namespace(host), problems);
      }
    }
    if (links.contains(bridge())) {
      deleteLink(bridge(), problems);
    }
    List<String> left = new ArrayList<>();
    linkNames().stream().filter(this::ours).forEach(left::add);
    namespaceNames().stream().filter(this::ours).forEach(left::add);
    if (!left.isEmpty()) {
      problems.add("still present: " + left);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("TestHosts " + id + " not fully removed: " + String.join("; ", problems));
    }
  }

  @Override
  public String toString() {
    return "TestHosts(" + bridge() + ", " + subnet + ".0/24, " + count + " hosts)";
  }

  // --- building and checking ---------------------------------------------------------------------------------------

  private void build() {
    String bridge = bridge();
    run(List.of("ip", "link", "add", "name", bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0"));
    run(List.of("ip", "link", "set", "dev", bridge, "alias", ownerTag()));
    run(List.of("ip", "link", "set", "dev", bridge, "addrgenmode", "none"));
    run(List.of("ip", "addr", "add", bridgeAddress() + "/24", "dev", bridge));
    run(List.of("ip", "link", "set", "dev", bridge, "up"));
    for (int host = 0; host < count; host++) {
      String namespace = namespace(host);
      run(List.of("ip", "netns", "add", namespace));
      run(List.of("ip", "link", "add", bridgeVeth(host), "type", "veth", "peer", "name", hostVeth(host), "netns", namespace));
      run(List.of("ip", "link", "set", "dev", bridgeVeth(host), "addrgenmode", "none"));
      run(List.of("ip", "link", "set", "dev", bridgeVeth(host), "master", bridge));
      run(List.of("ip", "link", "set", "dev", bridgeVeth(host), "up"));
      run(List.of("ip", "-n", namespace, "link", "set", "dev", "lo", "up"));
      run(List.of("ip", "-n", namespace, "link", "set", "dev", hostVeth(host), "addrgenmode", "none"));
      run(List.of("ip", "-n", namespace, "addr", "add", address(host) + "/24", "dev", hostVeth(host)));
      run(List.of("ip", "-n", namespace, "link", "set", "dev", hostVeth(host), "up"));
    }
  }

  /**
   * Every host address must be routed straight through our bridge from the root namespace, and a host must have no
   * route but our subnet (no default route: nothing it sends can leave the machine).
   */
  private void verifyRoutes() {
    for (int host = 0; host < count; host++) {
      String route = run(List.of("ip", "-4", "route", "get", address(host)));
      if (!bridge().equals(wordAfter(route, "dev")) || route.contains(" via ")) {
        throw new IllegalStateException(address(host) + " is not routed via " + bridge() + ": " + route.trim());
      }
      String inside = run(List.of("ip", "-n", namespace(host), "-4", "route", "show", "table", "all"));
      for (String line : inside.split("\n")) {
        String[] words = line.trim().split("\\s+");
        if (line.isBlank() || words[0].equals("local") || words[0].equals("broadcast")) {
          continue;
        }
        if (!line.startsWith(subnet + ".0/24 dev " + hostVeth(host) + " ")) {
          throw new IllegalStateException(namespace(host) + " has an unexpected route: " + line.trim() + " (all: " + inside.trim() + ")");
        }
      }
    }
  }

  /** A /24 in 10.213.0.0/16 that overlaps no address or route (but the default route) of the root namespace. */
  private static int freeSubnetOctet() {
    List<long[]> used = new ArrayList<>();
    for (String line : run(List.of("ip", "-4", "-o", "addr", "show")).split("\n")) {
      String cidr = wordAfter(line, "inet");
      if (cidr != null) {
        used.add(cidr(cidr));
      }
    }
    Set<String> types = Set.of("unicast", "local", "broadcast", "multicast", "blackhole", "unreachable", "prohibit", "throw", "nat", "anycast");
    for (String line : run(List.of("ip", "-4", "route", "show", "table", "all")).split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (line.isBlank()) {
        continue;
      }
      String destination = types.contains(words[0]) && words.length > 1 ? words[1] : words[0];
      if (destination.equals("default") || destination.equals("0.0.0.0/0")) {
        continue;
      }
      used.add(cidr(destination));
    }
    for (int attempt = 0; attempt < 100; attempt++) {
      int octet = ThreadLocalRandom.current().nextInt(1, 255);
      long[] candidate = cidr("10.213." + octet + ".0/24");
      if (used.stream().noneMatch(u -> overlap(u, candidate))) {
        return octet;
      }
    }
    throw new IllegalStateException("no free /24 in 10.213.0.0/16 after 100 tries");
  }

  /** {network, prefix length} of "a.b.c.d[/len]". */
  private static long[] cidr(String text) {
    String[] parts = text.split("/");
    String[] octets = parts[0].split("\\.");
    if (octets.length != 4) {
      throw new IllegalStateException("not an IPv4 address: " + text);
    }
    long address = 0;
    for (String octet : octets) {
      address = (address << 8) | Integer.parseInt(octet);
    }
    return new long[] {address, parts.length > 1 ? Integer.parseInt(parts[1]) : 32};
  }

  private static boolean overlap(long[] a, long[] b) {
    int prefix = (int) Math.min(a[1], b[1]);
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    return (a[0] & mask) == (b[0] & mask);
  }

  private static String unusedId() {
    Set<String> taken = new HashSet<>();
    for (String name : concat(linkNames(), namespaceNames())) {
      for (Pattern pattern : List.of(BRIDGE, VETH, NAMESPACE)) {
        Matcher matcher = pattern.matcher(name);
        if (matcher.matches()) {
          taken.add(matcher.group(1));
        }
      }
    }
    while (true) {
      String id = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
      if (!taken.contains(id)) {
        return id;
      }
    }
  }

  // --- stale leftovers ---------------------------------------------------------------------------------------------

  private static void removeStaleLocked() {
    Set<String> live = new HashSet<>();
    List<String> problems = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (String line : run(List.of("ip", "-o", "link", "show")).split("\n")) {
      String name = linkName(line);
      Matcher bridge = name == null ? null : BRIDGE.matcher(name);
      if (bridge != null && bridge.matches()) {
        if (ownerAlive(line)) {
          live.add(bridge.group(1));
        } else {
          stale.add(name);
        }
      }
    }
    for (String name : linkNames()) {
      Matcher veth = VETH.matcher(name);
      if (veth.matches() && !live.contains(veth.group(1))) {
        deleteLink(name, problems);
      }
    }
    for (String name : namespaceNames()) {
      Matcher namespace = NAMESPACE.matcher(name);
      if (namespace.matches() && !live.contains(namespace.group(1))) {
        deleteNamespace(name, problems);
      }
    }
    for (String name : stale) {
      deleteLink(name, problems);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("could not remove stale test hosts: " + String.join("; ", problems));
    }
  }

  /** Whether the JVM named in a bridge's alias ({@code cs-testhosts pid=.. start=..}) still runs. */
  private static boolean ownerAlive(String linkLine) {
    Matcher owner = OWNER.matcher(linkLine);
    if (!owner.find()) {
      return false;
    }
    long startMillis = Long.parseLong(owner.group(2));
    Optional<Instant> started = ProcessHandle.of(Long.parseLong(owner.group(1))).flatMap(p -> p.info().startInstant());
    return started.isPresent() && Math.abs(started.get().toEpochMilli() - startMillis) < 2_000;
  }

  private static String ownerTag() {
    ProcessHandle self = ProcessHandle.current();
    long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return OWNER_TAG + " pid=" + self.pid() + " start=" + start;
  }

  // --- names -------------------------------------------------------------------------------------------------------

  private String bridge() {
    return "csbr" + id;
  }

  private String bridgeVeth(int host) {
    checkHost(host);
    return "cs" + id + "-b" + host;
  }

  private String hostVeth(int host) {
    checkHost(host);
    return "cs" + id + "-n" + host;
  }

  private boolean ours(String name) {
    for (Pattern pattern : List.of(BRIDGE, VETH, NAMESPACE)) {
      Matcher matcher = pattern.matcher(name);
      if (matcher.matches() && matcher.group(1).equals(id)) {
        return true;
      }
    }
    return false;
  }

  private void checkHost(int host) {
    if (host < 0 || host >= count) {
      throw new IndexOutOfBoundsException("host " + host + " of " + count);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private static List<String> linkNames() {
    List<String> names = new ArrayList<>();
    for (String line : run(List.of("ip", "-o", "link", "show")).split("\n")) {
      String name = linkName(line);
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  /** The name in an {@code ip -o link} line ("7: csbrab12: <..." or "9: csab12-b0@if2: <..."). */
  private static String linkName(String line) {
    String[] parts = line.split(":\\s+", 3);
    if (parts.length < 2) {
      return null;
    }
    int at = parts[1].indexOf('@');
    return at < 0 ? parts[1].trim() : parts[1].substring(0, at);
  }

  private static List<String> namespaceNames() {
    List<String> names = new ArrayList<>();
    for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
      if (!line.isBlank()) {
        names.add(line.trim().split("\\s+")[0]);
      }
    }
    return names;
  }

  private static void deleteLink(String name, List<String> problems) {
    Result result = exec(List.of("ip", "link", "delete", "dev", name));
    if (result.exit != 0 && !result.err.contains("Cannot find device")) {
      problems.add(result.describe());
    }
  }

  private static void deleteNamespace(String name, List<String> problems) {
    Result result = exec(List.of("ip", "netns", "delete", name));
    if (result.exit != 0 && !result.err.contains("No such file")) {
      problems.add(result.describe());
    }
  }

  // --- availability ------------------------------------------------------------------------------------------------

  private static synchronized String whyUnavailable() {
    if (!probed) {
      probed = true;
      unavailableReason = probe();
    }
    return unavailableReason;
  }

  /** Null when namespaces, veths and bridges can be made here, else why not. */
  private static String probe() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return "not Linux (" + System.getProperty("os.name") + ")";
    }
    try {
      Result uid = exec(List.of("id", "-u"));
      if (uid.exit != 0 || !uid.out.trim().equals("0")) {
        return "not root (uid " + uid.out.trim() + ")";
      }
      Result list = exec(List.of("ip", "netns", "list"));
      if (list.exit != 0) {
        return "`ip netns list` failed: " + list.err.trim();
      }
      return withLock(() -> {
        String id = unusedId();
        String namespace = "cs" + id + "-hp";
        String bridge = "csbr" + id;
        String veth = "cs" + id + "-b0";
        List<String> problems = new ArrayList<>();
        try {
          run(List.of("ip", "netns", "add", namespace));
          run(List.of("ip", "link", "add", "name", bridge, "type", "bridge"));
          run(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "cs" + id + "-n0", "netns", namespace));
          run(List.of("ip", "link", "set", "dev", veth, "master", bridge));
          return null;
        } catch (IllegalStateException e) {
          return e.getMessage();
        } finally {
          deleteLink(veth, problems);
          deleteLink(bridge, problems);
          deleteNamespace(namespace, problems);
        }
      });
    } catch (IllegalStateException | UncheckedIOException e) {
      return e.getMessage();
    }
  }

  // --- shelling out ------------------------------------------------------------------------------------------------

  /** Serialises creation and clean-up across threads and JVMs, so no run takes another's names or subnet. */
  private static synchronized <T> T withLock(Supplier<T> action) {
    try (FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = channel.lock()) {
      return action.get();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + LOCK_FILE, e);
    }
  }

  private record Result(List<String> command, int exit, String out, String err) {

    String describe() {
      return "`" + String.join(" ", command) + "` exited " + exit + ": " + (err.isBlank() ? out.trim() : err.trim());
    }
  }

  /** Runs a command (with a timeout), returns its stdout, and fails with its stderr unless it exits 0. */
  private static String run(List<String> command) {
    Result result = exec(command);
    if (result.exit != 0) {
      throw new IllegalStateException(result.describe());
    }
    return result.out;
  }

  private static Result exec(List<String> command) {
    File out = null;
    File err = null;
    try {
      out = File.createTempFile("testhosts", ".out");
      err = File.createTempFile("testhosts", ".err");
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().put("LC_ALL", "C");
      Process process = builder.start();
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException("`" + String.join(" ", command) + "` did not finish within " + COMMAND_TIMEOUT.toSeconds()
          + " s; stderr: " + Files.readString(err.toPath(), StandardCharsets.UTF_8).trim());
      }
      return new Result(command, process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run `" + String.join(" ", command) + "`", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running `" + String.join(" ", command) + "`", e);
    } finally {
      if (out != null) {
        out.delete();
      }
      if (err != null) {
        err.delete();
      }
    }
  }

  private void closeQuietly(RuntimeException cause) {
    try {
      close();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static String wordAfter(String text, String word) {
    String[] words = text.trim().split("\\s+");
    for (int i = 0; i + 1 < words.length; i++) {
      if (words[i].equals(word)) {
        return words[i + 1];
      }
    }
    return null;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
