package dev.berth.oci.replication;

import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.oci.registry.RegistryAuthenticationException;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.registry.RegistryException;
import java.time.Duration;

/**
 * How often and how patiently a copy is retried: up to {@code maxAttempts} attempts, waiting {@code
 * initialBackoff}, then twice as long each time up to {@code maxBackoff}. Only faults that may pass
 * are retried: an unreachable or failing registry (5xx, 429, dropped connections, timeouts) and
 * content that arrived damaged. Wrong credentials, a missing image, a full target and other
 * refusals fail at once with their reason.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoffs must satisfy 0 <= initial <= max, were "
              + initialBackoff
              + " and "
              + maxBackoff);
    }
  }

  /** Five attempts, 500 ms doubling up to 10 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10));
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  public Duration backoff(int attempt) {
    long factor = 1L << Math.min(20, attempt - 1);
    Duration d = initialBackoff.multipliedBy(factor);
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  /** Whether a failure may pass by itself. */
  public static boolean retryable(Throwable e) {
    if (e instanceof RegistryAuthenticationException
        || e instanceof ImageNotFoundException
        || e instanceof IllegalArgumentException) {
      return false;
    }
    if (e instanceof RegistryException) {
      return false; // unexpected 4xx answers and a full target: retrying at once changes nothing
    }
    return true; // unavailable registries, I/O, damaged content
  }

  /**
   * Whether a failure is a connection that dropped mid-way (worth trying that one step again at
   * once), as opposed to a refused connection, a timeout or an answer.
   */
  public static boolean droppedConnection(Throwable e) {
    return e instanceof RegistryUnavailableException
        && RegistryClient.isDroppedConnection(e.getCause());
  }
}
