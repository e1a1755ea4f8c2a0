package dev.berth.oci.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens by registry host and scope, each kept until shortly before it expires. Time comes
 * from the injected {@link InstantSource}. Thread-safe.
 */
final class TokenCache {
  /** Tokens are dropped this long before their stated expiry, to survive the round trip. */
  static final Duration MARGIN = Duration.ofSeconds(10);

  private record Entry(String token, Instant expiresAt) {}

  private final InstantSource clock;
  private final ConcurrentHashMap<String, Entry> tokens = new ConcurrentHashMap<>();

  TokenCache(InstantSource clock) {
    this.clock = clock;
  }

  Optional<String> get(String host, String scope) {
    Entry entry = tokens.get(key(host, scope));
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.expiresAt())) {
      tokens.remove(key(host, scope), entry);
      return Optional.empty();
    }
    return Optional.of(entry.token());
  }

  void put(String host, String scope, String token, Duration lifetime) {
    Duration keep =
        lifetime.compareTo(MARGIN.multipliedBy(2)) > 0
            ? lifetime.minus(MARGIN)
            : lifetime.dividedBy(2);
    tokens.put(key(host, scope), new Entry(token, clock.instant().plus(keep)));
  }

  void invalidate(String host, String scope) {
    tokens.remove(key(host, scope));
  }

  private static String key(String host, String scope) {
    return host + " " + scope;
  }
}
