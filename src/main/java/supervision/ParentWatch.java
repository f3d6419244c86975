package supervision;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;

/**
 * Makes a supervised child exit when its supervisor dies, however it dies (even {@code kill -9}): the supervisor
 * holds the write end of the child's stdin and never writes, so end-of-file on stdin means the parent is gone.
 */
public final class ParentWatch {

  /** System property set on children so that they start watching. */
  public static final String PROPERTY = "changeserver.supervised";

  private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);
  /** A graceful shutdown may take this long before the JVM is halted, to stay within the 10 s promise. */
  private static final long GRACE_MS = 7_000;

  private ParentWatch() {
  }

  public static void startIfSupervised() {
    if (!Boolean.getBoolean(PROPERTY)) {
      return;
    }
    Thread watcher = new Thread(() -> {
      waitForEndOfInput(System.in);
      log.warn("supervisor is gone: exiting");
      Thread halter = new Thread(() -> {
        sleep(GRACE_MS);
        Runtime.getRuntime().halt(0);
      }, "parent-watch-halt");
      halter.setDaemon(true);
      halter.start();
      System.exit(0);
    }, "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void waitForEndOfInput(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // The supervisor never writes; anything read is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end-of-file.
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
