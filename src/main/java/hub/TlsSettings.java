package hub;

import io.vertx.core.json.JsonObject;

/**
 * The {@code hub.tls} config section: with both paths set the client listener serves {@code wss://} itself.
 *
 * @param certPath         PEM file of the certificate, then its chain (as a CA hands it out: leaf first)
 * @param keyPath          PEM file of its private key (PKCS#8, or PKCS#1 RSA)
 * @param reloadIntervalMs how often both files are read again: a renewed certificate is served to new connections
 *                         without a restart (open ones keep theirs)
 */
record TlsSettings(String certPath, String keyPath, long reloadIntervalMs) {

  /** Null when TLS is off (no section, or no paths); a section with one path only is a mistake that must not start. */
  static TlsSettings fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    String certPath = json.getString("certPath");
    String keyPath = json.getString("keyPath");
    if (certPath == null && keyPath == null) {
      return null;
    }
    if (certPath == null || keyPath == null) {
      throw new IllegalArgumentException("hub.tls needs both certPath and keyPath");
    }
    return new TlsSettings(certPath, keyPath, json.getLong("reloadIntervalMs", 60_000L));
  }
}
