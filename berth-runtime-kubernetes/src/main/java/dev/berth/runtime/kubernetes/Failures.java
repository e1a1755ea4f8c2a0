package dev.berth.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Classifies what the API server answered, for cluster status, messages and retries. */
public final class Failures {
  private Failures() {}

  /**
   * A cluster's reachability: {@code Ready}, {@code Unreachable}, {@code Unauthorized}, {@code
   * Forbidden}, {@code Failing}.
   */
  public static String status(Throwable t) {
    int code = code(t);
    if (code == 401) {
      return "Unauthorized";
    }
    if (code == 403) {
      return "Forbidden";
    }
    if (code == 0 || unreachable(t)) {
      return "Unreachable";
    }
    return "Failing";
  }

  /** A sentence saying what went wrong and what to check. */
  public static String describe(Throwable t) {
    int code = code(t);
    String detail = rootMessage(t);
    return switch (code) {
      case 401 ->
          "the API server rejected the credentials (401): the token or client certificate is wrong or expired";
      case 403 ->
          "forbidden by RBAC (403): "
              + detail
              + "; grant Berth's service account the Role in deploy/kubernetes";
      case 404 -> "not found (404): " + detail;
      case 409 -> "conflict (409): " + detail;
      case 429 -> "the API server is throttling requests (429)";
      default ->
          code >= 500
              ? "the API server failed (" + code + "): " + detail
              : code == 0 || unreachable(t)
                  ? "the API server cannot be reached: " + detail
                  : "the API server refused the request (" + code + "): " + detail;
    };
  }

  /** 409, 429, 5xx and connection failures are worth another try; 4xx otherwise are not. */
  public static boolean retryable(Throwable t) {
    int code = code(t);
    return code == 0 || code == 409 || code == 429 || code >= 500 || unreachable(t);
  }

  public static int code(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k && k.getCode() > 0) {
        return k.getCode();
      }
    }
    return 0;
  }

  private static boolean unreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException
          || c instanceof UnknownHostException
          || c instanceof TimeoutException
          || c instanceof java.net.http.HttpTimeoutException
          || (c instanceof IOException && !(c instanceof java.io.UncheckedIOException))) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m =
        t instanceof KubernetesClientException k
                && k.getStatus() != null
                && k.getStatus().getMessage() != null
            ? k.getStatus().getMessage()
            : c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }
}
