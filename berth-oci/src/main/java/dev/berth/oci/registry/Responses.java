package dev.berth.oci.registry;

import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.RegistryUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Turning registry responses into results or the exception that says what went wrong. */
final class Responses {
  private Responses() {}

  /** Maps any status other than the expected ones to the exception that says what happened. */
  static void expect(HttpResponse<?> r, String reference, String what, int... ok) {
    for (int code : ok) {
      if (r.statusCode() == code) {
        return;
      }
    }
    expect(r.statusCode(), errorText(r), r.uri().getAuthority(), reference, what, ok);
  }

  /**
   * The same for an answer read some other way: its status, error body and the registry's
   * authority.
   */
  static void expect(
      int status, String body, String registry, String reference, String what, int... ok) {
    for (int code : ok) {
      if (status == code) {
        return;
      }
    }
    String why = RegistryErrors.meaning(body).map(m -> ": " + m).orElse("");
    if (status == 404
        || body.contains("NAME_UNKNOWN")
        || body.contains("MANIFEST_UNKNOWN")
        || body.contains("BLOB_UNKNOWN")) {
      throw new ImageNotFoundException(
          reference + " not found: " + RegistryErrors.explain(status, body) + " (" + what + ")");
    }
    if (status == 413 || status == 507) {
      throw new RegistryStorageException(
          "registry " + registry + " has no room for " + what + " (" + status + ")" + why);
    }
    if (status >= 500 || status == 429) {
      throw new RegistryUnavailableException(
          "registry " + registry + " answered " + status + " for " + what + why, null);
    }
    if (status == 403) {
      throw new RegistryAuthenticationException("registry " + registry + " denied " + what + why);
    }
    throw new RegistryException(
        "registry " + registry + " answered " + status + " for " + what + why);
  }

  static String errorText(HttpResponse<?> r) {
    Object body = r.body();
    if (body instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (body instanceof InputStream in) {
      try (in) {
        return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
    return "";
  }

  static void close(HttpResponse<?> r) {
    if (r.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the connection is discarded either way
      }
    }
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getAuthority() != null
        && a.getAuthority().equalsIgnoreCase(b.getAuthority());
  }
}
