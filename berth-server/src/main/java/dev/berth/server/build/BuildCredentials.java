package dev.berth.server.build;

import dev.berth.oci.registry.Credentials.UsernamePassword;
import java.util.Optional;

/**
 * Credentials a build uses for a registry host (as written in image references, e.g. {@code
 * 127.0.0.1:5000} or {@code docker.io}): to pull the base and push the result. The default bean is
 * anonymous; define another bean of this type (e.g. backed by the registries store) to replace it.
 * Called on build threads: implementations must be thread-safe.
 */
@FunctionalInterface
public interface BuildCredentials {
  Optional<UsernamePassword> forHost(String host);

  /** No credentials for any host. */
  static BuildCredentials anonymous() {
    return host -> Optional.empty();
  }
}
