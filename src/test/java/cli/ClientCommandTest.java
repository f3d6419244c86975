package cli;

import ops.MeteredHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The interactive client against a running hub, driven through its stdin, read through its stdout. */
class ClientCommandTest {

  private MeteredHub hub;
  private PrintStream stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private CompletableFuture<Integer> exitCode;

  @BeforeEach
  void start() throws IOException {
    hub = MeteredHub.start();
    PipedInputStream in = new PipedInputStream();
    stdin = new PrintStream(new PipedOutputStream(in), true, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new LineCollector(stdout), true, StandardCharsets.UTF_8);
    CommandLine command = new CommandLine(new ClientCommand(in, out));
    exitCode = CompletableFuture.supplyAsync(() -> command.execute("ws://127.0.0.1:" + hub.hubPort()));
  }

  @AfterEach
  void stop() {
    stdin.close();
    hub.close();
  }

  @Test
  void subscribesPrintsUpdatesUnsubscribesReadsMetricsAndExits() throws Exception {
    assertThat(next()).startsWith("connected to ws://127.0.0.1:");
    stdin.println("subscribe fake abc 100");
    assertThat(next()).isEqualTo("subscribe fake abc: 1");
    assertThat(next()).isEqualTo("update fake abc");
    stdin.println("subscribe nochain x");
    assertThat(next()).isEqualTo("subscribe nochain x: -1");
    stdin.println("unsubscribe fake abc");
    assertThat(next()).isEqualTo("unsubscribe fake abc: ok");
    stdin.println("metrics " + hub.adminUrl() + "metrics");
    assertThat(nextStartingWith("change_connection_count ")).isEqualTo("change_connection_count 1.0");
    // The rest of the metrics text may still be arriving: skip to the next answer.
    stdin.println("subscribe fake");
    assertThat(nextStartingWith("usage: ")).isEqualTo("usage: subscribe <pluginId> <address> [checkpoint]");
    stdin.println("help");
    assertThat(nextStartingWith("subscribe <pluginId>")).startsWith("subscribe <pluginId> <address> [checkpoint]");
    stdin.println("exit");
    assertThat(exitCode.get(10, TimeUnit.SECONDS)).isZero();
  }

  private String next() throws InterruptedException {
    String line = stdout.poll(10, TimeUnit.SECONDS);
    assertThat(line).as("a line from the client").isNotNull();
    return line;
  }

  private String nextStartingWith(String prefix) throws InterruptedException {
    String line;
    do {
      line = next();
    } while (!line.startsWith(prefix));
    return line;
  }

  /** Splits what the client prints into lines. */
  private static final class LineCollector extends OutputStream {
    private final BlockingQueue<String> lines;
    private final StringBuilder current = new StringBuilder();

    LineCollector(BlockingQueue<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      current.append(new String(bytes, offset, length, StandardCharsets.UTF_8));
      int newline;
      while ((newline = current.indexOf("\n")) >= 0) {
        lines.add(current.substring(0, newline).replace("\r", ""));
        current.delete(0, newline + 1);
      }
    }
  }
}
