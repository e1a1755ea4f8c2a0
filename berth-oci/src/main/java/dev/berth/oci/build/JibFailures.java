package dev.berth.oci.build;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import dev.berth.oci.ImageReference;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Turns what jib throws into a {@link BuildException} whose message says what went wrong and what
 * to do.
 */
final class JibFailures {
  private JibFailures() {}

  static BuildException reason(Throwable e, ImageReference target) {
    if (e instanceof BuildException b) {
      return b;
    }
    if (e instanceof RegistryUnauthorizedException u) {
      return new BuildException(
          "the registry refused access to "
              + u.getImageReference()
              + " ("
              + oneLine(u.getMessage())
              + "): give Berth credentials for that registry that may pull the base and push "
              + target,
          e);
    }
    if (e instanceof InsecureRegistryException) {
      return new BuildException(
          "a registry of this build does not speak HTTPS: list it in berth.local.insecure-registries (BERTH_LOCAL_INSECURE_REGISTRIES) to allow plain HTTP",
          e);
    }
    Throwable root = rootCause(e);
    if (root instanceof ConnectException
        || root instanceof NoRouteToHostException
        || root instanceof UnknownHostException) {
      return new BuildException(
          "cannot reach the registry ("
              + root.getClass().getSimpleName()
              + ": "
              + root.getMessage()
              + "); check that it is up and its address in the image references",
          e);
    }
    if (root instanceof SocketTimeoutException) {
      return new BuildException(
          "the registry did not answer in time ("
              + root.getMessage()
              + "); try again when it is healthy",
          e);
    }
    if (e instanceof RegistryException) {
      return new BuildException("the registry failed the build: " + oneLine(e.getMessage()), e);
    }
    if (e instanceof IOException) {
      return new BuildException(
          "I/O failure while building: "
              + oneLine(e.getMessage())
              + (root != e ? " (" + oneLine(root.toString()) + ")" : ""),
          e);
    }
    return new BuildException(
        "the build failed: "
            + oneLine(String.valueOf(e))
            + (root != e ? " (" + oneLine(root.toString()) + ")" : ""),
        e);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    for (int i = 0; i < 20 && t.getCause() != null && t.getCause() != t; i++) {
      t = t.getCause();
    }
    return t;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }
}
