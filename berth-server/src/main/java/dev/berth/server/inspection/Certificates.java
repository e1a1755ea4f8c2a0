package dev.berth.server.inspection;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the certificates an inspection looks at: the TLS certificate an {@code https://} registry
 * presents (one handshake, nothing sent after it, the chain recorded whether or not it is trusted:
 * an expired certificate must still be reported) and the client certificates embedded in a
 * kubeconfig ({@code client-certificate-data}).
 */
final class Certificates {
  private static final int TIMEOUT_MS = 5_000;

  private Certificates() {}

  /** The leaf certificate an https URL presents; empty for http or when none could be read. */
  static List<X509Certificate> ofServer(String url) throws Exception {
    URI u = URI.create(url);
    if (!"https".equals(u.getScheme())) {
      return List.of();
    }
    List<X509Certificate> seen = new ArrayList<>();
    X509TrustManager recorder =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
          }

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            if (chain.length > 0) {
              seen.add(chain[0]);
            }
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {recorder}, new SecureRandom());
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(
          new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 443 : u.getPort()), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      socket.startHandshake();
    }
    return seen;
  }

  /** The client certificates of every user in a kubeconfig document. */
  @SuppressWarnings("unchecked")
  static List<X509Certificate> ofKubeconfig(String kubeconfig) throws CertificateException {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(kubeconfig);
    List<X509Certificate> out = new ArrayList<>();
    if (!(doc instanceof Map<?, ?> root) || !(root.get("users") instanceof List<?> users)) {
      return out;
    }
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (Object u : users) {
      if (u instanceof Map<?, ?> entry
          && entry.get("user") instanceof Map<?, ?> user
          && user.get("client-certificate-data") instanceof String data) {
        byte[] pem = Base64.getMimeDecoder().decode(data);
        for (var c : factory.generateCertificates(new ByteArrayInputStream(pem))) {
          out.add((X509Certificate) c);
        }
      }
    }
    return out;
  }
}
