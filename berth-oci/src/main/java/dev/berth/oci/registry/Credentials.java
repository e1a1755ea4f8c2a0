package dev.berth.oci.registry;

import java.util.Map;
import java.util.Optional;

/**
 * Looks up the username and password for a registry host (as in {@code ImageReference.registry()},
 * e.g. {@code docker.io} or {@code 127.0.0.1:5000}). Called on the requesting thread;
 * implementations must be thread-safe and should be fast (called at most once per token fetch or
 * basic challenge).
 */
@FunctionalInterface
public interface Credentials {
  Optional<UsernamePassword> lookup(String registry);

  /** No credentials anywhere: anonymous access only. */
  static Credentials anonymous() {
    return registry -> Optional.empty();
  }

  /** Fixed credentials per registry host. */
  static Credentials of(Map<String, UsernamePassword> byRegistry) {
    Map<String, UsernamePassword> copy = Map.copyOf(byRegistry);
    return registry -> Optional.ofNullable(copy.get(registry));
  }

  /** A username and password (or token) pair. {@code toString} hides the password. */
  record UsernamePassword(String username, String password) {
    public UsernamePassword {
      if (username == null || password == null) {
        throw new IllegalArgumentException("username and password must not be null");
      }
    }

    @Override
    public String toString() {
      return "UsernamePassword[" + username + ", ***]";
    }
  }
}
