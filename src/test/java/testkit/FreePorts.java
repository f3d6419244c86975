package testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Ports free on 127.0.0.1 right now, so that parallel test runs and a running server never collide. */
public final class FreePorts {

  private FreePorts() {
  }

  /** Ports a Hazelcast member may move up to when its first choice is taken (its {@code cluster.portCount}). */
  public static final int CLUSTER_PORT_BLOCK = 10;

  /**
   * Starts of {@code count} blocks of {@link #CLUSTER_PORT_BLOCK} ports, free now and below Linux's ephemeral range
   * (32768 and up), so that no outgoing connection of another JVM takes one between the pick and the bind (a port
   * from {@link #next} did, and a member then failed to start).
   */
  public static int[] clusterPortBlocks(int count) {
    int[] blocks = new int[count];
    int found = 0;
    int base = 20_000 + ThreadLocalRandom.current().nextInt(1_000) * CLUSTER_PORT_BLOCK;
    while (found < count) {
      if (base + CLUSTER_PORT_BLOCK > 32_768) {
        base = 20_000;
      }
      if (blockFree(base)) {
        blocks[found++] = base;
      }
      base += CLUSTER_PORT_BLOCK;
    }
    return blocks;
  }

  private static boolean blockFree(int base) {
    for (int port = base; port < base + CLUSTER_PORT_BLOCK; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  public static int next() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
