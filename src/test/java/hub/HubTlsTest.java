package hub;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import testkit.InlineHub;
import testkit.WsTestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code hub.tls}: the client listener serves {@code wss://} only, and a certificate replaced on disk reaches new
 * connections without a restart while open ones stay up; a broken replacement keeps the certificate in service.
 */
@ExtendWith(VertxExtension.class)
class HubTlsTest {

  private static final long RELOAD_MS = 200;

  @TempDir
  Path dir;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger reloaderLog = (Logger) LoggerFactory.getLogger(TlsReloader.class);
  private SelfSignedCertificate first;
  private SelfSignedCertificate second;
  private InlineHub hub;

  @BeforeEach
  void certificates() throws IOException {
    first = SelfSignedCertificate.create("first.localhost");
    second = SelfSignedCertificate.create("second.localhost");
    install(first);
    logs.start();
    reloaderLog.addAppender(logs);
  }

  @AfterEach
  void close() {
    reloaderLog.detachAppender(logs);
    if (hub != null) {
      hub.close();
    }
    first.delete();
    second.delete();
  }

  @Test
  void wssServesUpdatesAndPlainWsIsRefused(Vertx vertx) {
    hub = InlineHub.deploy(vertx, tls());
    WsTestClient wallet = hub.connectTls(trusting(first));
    assertThat(wallet.call("{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"abc\",\"100\"]],\"id\":0}"))
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":0}");
    assertThat(wallet.next(Duration.ofSeconds(10))).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"abc\",null]}");
    assertThatThrownBy(() -> WsTestClient.connect(vertx, hub.port())).as("a plain ws:// handshake").isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> hub.connectTls(trusting(second))).as("a client that does not trust the served certificate")
      .isInstanceOf(AssertionError.class);
  }

  @Test
  void aReplacedCertificateReachesNewConnectionsOfEveryInstanceWhileOpenOnesStay(Vertx vertx) throws IOException {
    hub = InlineHub.deploy(vertx, tls(), 2);
    WsTestClient open = hub.connectTls(trusting(first));
    assertThat(open.call(subscribe(1, "before"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}");

    install(second);
    // Each new connection lands on one of the two verticles in turn: several in a row cover both.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      hub.connectTls(trusting(second)).close();
      return true;
    });
    for (int i = 0; i < 4; i++) {
      WsTestClient renewed = hub.connectTls(trusting(second));
      assertThat(renewed.call(subscribe(2, "after" + i))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");
      renewed.close();
      assertThatThrownBy(() -> hub.connectTls(trusting(first))).as("the old certificate is no longer served").isInstanceOf(AssertionError.class);
    }
    assertThat(open.next(Duration.ofSeconds(10))).as("the connection made with the old certificate still gets its update")
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"fake\",\"before\",null]}");
    assertThat(open.call(subscribe(3, "still-open"))).as("and still answers calls")
      .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":3}");
    assertThat(open.closeStatus()).isNull();
    assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains("reloaded"))
      .as("logged once for the JVM, naming the certificate").hasSize(1)
      .allSatisfy(e -> assertThat(e.getKeyValuePairs().toString()).contains("CN=second.localhost").contains("notAfter"));
  }

  @Test
  void aBrokenReplacementKeepsTheCertificateInServiceAndIsLoggedOnce(Vertx vertx) throws Exception {
    hub = InlineHub.deploy(vertx, tls(), 2);
    // A renewal caught half-way: the new certificate is there, its key is still the old one.
    Files.copy(Path.of(second.certificatePath()), dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
    await().atMost(Duration.ofSeconds(10)).until(() -> warnings() == 1);
    Thread.sleep(5 * RELOAD_MS);
    assertThat(warnings()).as("the same broken files are not logged again").isEqualTo(1);
    WsTestClient client = hub.connectTls(trusting(first));
    assertThat(client.call(subscribe(1, "kept"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1}");
    String keyBody = Files.readString(Path.of(first.privateKeyPath())).lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + e.getKeyValuePairs()).doesNotContain(keyBody));

    Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> warnings() == 2);
    assertThat(hub.connectTls(trusting(first)).call(subscribe(2, "kept-again"))).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":2}");

    install(second);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      hub.connectTls(trusting(second)).close();
      return true;
    });
  }

  private long warnings() {
    return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
  }

  private JsonObject tls() {
    return new JsonObject().put("tls", new JsonObject()
      .put("certPath", dir.resolve("cert.pem").toString())
      .put("keyPath", dir.resolve("key.pem").toString())
      .put("reloadIntervalMs", RELOAD_MS));
  }

  /** Writes the pair as a renewal tool would: each file replaced whole by a rename. */
  private void install(SelfSignedCertificate certificate) throws IOException {
    replace(Path.of(certificate.privateKeyPath()), dir.resolve("key.pem"));
    replace(Path.of(certificate.certificatePath()), dir.resolve("cert.pem"));
  }

  private void replace(Path from, Path to) throws IOException {
    Path staged = Files.createTempFile(dir, "staged", ".pem");
    Files.copy(from, staged, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static PemTrustOptions trusting(SelfSignedCertificate certificate) {
    return new PemTrustOptions().addCertPath(certificate.certificatePath());
  }

  private static String subscribe(int id, String address) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"params\":[[\"fake\",\"" + address + "\"]],\"id\":" + id + "}";
  }
}
