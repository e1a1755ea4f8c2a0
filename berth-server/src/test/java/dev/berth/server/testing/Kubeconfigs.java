package dev.berth.server.testing;

/** Kubeconfig documents for tests against fabric8's mock API server. */
public final class Kubeconfigs {
  private Kubeconfigs() {}

  /** One cluster at {@code server}, one user with a bearer {@code token}, one current context. */
  public static String withToken(String server, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
        users:
        - name: berth
          user:
            token: %s
        contexts:
        - name: mock
          context:
            cluster: mock
            user: berth
        current-context: mock
        """
        .formatted(server, token);
  }
}
