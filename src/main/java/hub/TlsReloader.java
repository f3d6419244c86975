package hub;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.shareddata.LocalMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one hub verticle's client listener on the certificate in {@code hub.tls}'s files: reads them every
 * {@code reloadIntervalMs} (asynchronously: the event loop never waits on the disk) and, when they changed and pass
 * {@link ServerCertificate#check}, hands them to the server, which serves them to new connections; open ones keep the
 * certificate they shook hands with. A broken pair keeps the certificate in service and is logged once. The hub's
 * verticles share one listener, so every verticle's update reaches the same server: the first one changes it (and
 * logs), the others find it already done.
 */
final class TlsReloader {

  private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);
  /** Last rejected pair of this JVM, so that each verticle's reloader does not log the same broken files again. */
  private static final String REJECTED_KEY = "changeserver.tls.rejected";

  private final Vertx vertx;
  private final TlsSettings settings;
  private ServerCertificate serving;
  private Buffer lastCert;
  private Buffer lastKey;
  private long timer = -1;
  private boolean checking;

  TlsReloader(Vertx vertx, TlsSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** The certificate to start with; fails (and the hub with it) if the files are missing or broken. */
  Future<ServerCertificate> load() {
    return read().compose(files -> vertx.executeBlocking(() -> ServerCertificate.check(vertx, files[0], files[1])))
      .onSuccess(certificate -> {
        serving = certificate;
        log.atInfo().addKeyValue("subject", certificate.subject()).addKeyValue("notAfter", certificate.notAfter())
          .log("serving TLS certificate");
      });
  }

  /** Starts checking the files for {@code server}, which serves {@link #load}'s certificate. */
  void watch(HttpServer server) {
    timer = vertx.setPeriodic(settings.reloadIntervalMs(), id -> check(server));
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void check(HttpServer server) {
    if (checking) {
      return; // a slow disk: the previous check is still reading
    }
    checking = true;
    read().<Void>compose(files -> {
        Buffer cert = files[0];
        Buffer key = files[1];
        if (serving.sameFiles(cert, key)) {
          lastCert = cert;
          lastKey = key;
          return Future.succeededFuture();
        }
        if (cert.equals(lastCert) && key.equals(lastKey)) {
          return Future.succeededFuture(); // already rejected
        }
        lastCert = cert;
        lastKey = key;
        return vertx.executeBlocking(() -> ServerCertificate.check(vertx, cert, key))
          .compose(certificate -> server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(certificate.keyCertOptions()), false)
            .onSuccess(changed -> {
              serving = certificate;
              vertx.sharedData().getLocalMap("changeserver").remove(REJECTED_KEY);
              if (changed) {
                log.atInfo().addKeyValue("subject", certificate.subject()).addKeyValue("notAfter", certificate.notAfter())
                  .log("TLS certificate reloaded: new connections get it");
              }
            }))
          .<Void>mapEmpty()
          .recover(e -> {
            rejected(cert, key, e);
            return Future.succeededFuture();
          });
      })
      .onFailure(unreadable -> rejected(null, null, unreadable))
      .onComplete(done -> checking = false);
  }

  private Future<Buffer[]> read() {
    Future<Buffer> cert = vertx.fileSystem().readFile(settings.certPath());
    Future<Buffer> key = vertx.fileSystem().readFile(settings.keyPath());
    return Future.all(cert, key).map(both -> new Buffer[]{cert.result(), key.result()});
  }

  private void rejected(Buffer cert, Buffer key, Throwable cause) {
    LocalMap<String, Integer> shared = vertx.sharedData().getLocalMap("changeserver");
    // Integer hash of what was read: equal across the verticles that read the same files, never key material.
    int fingerprint = cert == null ? cause.getMessage() == null ? 0 : cause.getMessage().hashCode() : 31 * cert.hashCode() + key.hashCode();
    Integer previous = shared.put(REJECTED_KEY, fingerprint);
    if (previous == null || previous != fingerprint) {
      log.atWarn().addKeyValue("certPath", settings.certPath()).addKeyValue("keyPath", settings.keyPath())
        .addKeyValue("error", cause.getClass().getSimpleName() + ": " + cause.getMessage())
        .addKeyValue("serving", serving.subject()).addKeyValue("servingNotAfter", serving.notAfter())
        .log("TLS files not reloaded: keeping the certificate in service");
    }
  }
}
