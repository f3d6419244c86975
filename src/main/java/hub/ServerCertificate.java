package hub;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;

/**
 * A certificate and its private key as read from their PEM files, checked before anything serves them: the certificate
 * parses, the key parses, and the key is the certificate's (a renewal that has written the new certificate but not yet
 * its key must not be served: every handshake would fail). What it logs names the certificate, never the key.
 */
final class ServerCertificate {

  private final Buffer cert;
  private final Buffer key;
  private final X509Certificate leaf;

  private ServerCertificate(Buffer cert, Buffer key, X509Certificate leaf) {
    this.cert = cert;
    this.key = key;
    this.leaf = leaf;
  }

  /** Parses and checks the files' contents; blocking work (key parsing, a test signature), run it off the event loop. */
  static ServerCertificate check(Vertx vertx, Buffer cert, Buffer key) throws GeneralSecurityException {
    Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
      .generateCertificates(new ByteArrayInputStream(cert.getBytes()));
    if (chain.isEmpty() || !(chain.iterator().next() instanceof X509Certificate leaf)) {
      throw new GeneralSecurityException("no X.509 certificate in the certificate file");
    }
    PemKeyCertOptions options = new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
    PrivateKey privateKey;
    try {
      KeyManagerFactory factory = options.getKeyManagerFactory(vertx);
      X509KeyManager manager = (X509KeyManager) factory.getKeyManagers()[0];
      String alias = Arrays.stream(manager.getServerAliases(leaf.getPublicKey().getAlgorithm(), null)).findFirst()
        .orElseThrow(() -> new GeneralSecurityException("no key entry"));
      privateKey = manager.getPrivateKey(alias);
    } catch (GeneralSecurityException e) {
      throw e;
    } catch (Exception e) {
      throw new GeneralSecurityException("unreadable private key: " + e.getClass().getSimpleName(), e);
    }
    if (privateKey == null) {
      throw new GeneralSecurityException("no private key in the key file");
    }
    requireMatch(privateKey, leaf);
    return new ServerCertificate(cert, key, leaf);
  }

  /** Signs a few bytes with the key and verifies them with the certificate's public key. */
  private static void requireMatch(PrivateKey privateKey, X509Certificate leaf) throws GeneralSecurityException {
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return; // a key type we cannot test here: the first handshake will tell
    }
    byte[] probe = "change-server key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(privateKey);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(leaf.getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException("the private key does not belong to the certificate");
    }
  }

  /** Whether these are the same files' contents (nothing to reload). */
  boolean sameFiles(Buffer otherCert, Buffer otherKey) {
    return cert.equals(otherCert) && key.equals(otherKey);
  }

  PemKeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions().setCertValue(cert).setKeyValue(key);
  }

  String subject() {
    return leaf.getSubjectX500Principal().getName();
  }

  Instant notAfter() {
    return leaf.getNotAfter().toInstant();
  }
}
