package dev.berth.server.security.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failures per key (a user name, a client address) in a sliding window and locks the key for
 * a while once it reaches the limit, e.g. 5 failures in 15 minutes lock for 15 minutes. Kept in
 * memory of this server only: each replica counts on its own, and a restart forgets (see ADR 0008).
 * At most {@code capacity} keys are tracked; past that, keys whose failures have aged out are
 * dropped, and new keys are not tracked until there is room (the per-address limit still holds
 * then). Thread-safe.
 */
public final class SignInThrottle {
  private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

  /**
   * @param maxFailures failures within {@code window} that lock the key
   * @param window how far back failures count
   * @param lockout how long a key stays locked
   */
  public record Policy(int maxFailures, Duration window, Duration lockout) {
    public Policy {
      if (maxFailures < 1) {
        throw new IllegalArgumentException("max failures must be >= 1, was " + maxFailures);
      }
      if (window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()) {
        throw new IllegalArgumentException(
            "window and lock-out must be positive, were " + window + " and " + lockout);
      }
    }
  }

  private final Policy policy;
  private final Clock clock;
  private final int capacity;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicBoolean warnedFull = new AtomicBoolean();

  public SignInThrottle(Policy policy, Clock clock, int capacity) {
    this.policy = policy;
    this.clock = clock;
    this.capacity = capacity;
  }

  public Policy policy() {
    return policy;
  }

  /** Until when the key is locked, or empty when it is not. */
  public Optional<Instant> lockedUntil(String key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    synchronized (entry) {
      return entry.lockedUntil != null && now.isBefore(entry.lockedUntil)
          ? Optional.of(entry.lockedUntil)
          : Optional.empty();
    }
  }

  /** Counts a failure; returns until when the key is locked now, or empty when it is not (yet). */
  public Optional<Instant> fail(String key) {
    Instant now = clock.instant();
    if (!entries.containsKey(key) && !makeRoom(now)) {
      return Optional.empty();
    }
    Entry entry = entries.computeIfAbsent(key, k -> new Entry());
    synchronized (entry) {
      if (entry.lockedUntil != null && now.isBefore(entry.lockedUntil)) {
        return Optional.of(entry.lockedUntil);
      }
      entry.lockedUntil = null;
      entry.prune(now.minus(policy.window()));
      entry.failures.addLast(now);
      if (entry.failures.size() >= policy.maxFailures()) {
        entry.failures.clear();
        entry.lockedUntil = now.plus(policy.lockout());
        return Optional.of(entry.lockedUntil);
      }
      return Optional.empty();
    }
  }

  /** Forgets the key's failures and lock, after a successful sign-in. */
  public void reset(String key) {
    entries.remove(key);
  }

  /** How many keys are tracked now (for tests and metrics). */
  public int size() {
    return entries.size();
  }

  private boolean makeRoom(Instant now) {
    if (entries.size() < capacity) {
      return true;
    }
    Instant since = now.minus(policy.window());
    entries.entrySet().removeIf(e -> e.getValue().idle(now, since));
    if (entries.size() < capacity) {
      return true;
    }
    if (warnedFull.compareAndSet(false, true)) {
      log.warn(
          "Sign-in throttle tracks {} keys, its limit: new keys are not counted until old ones age out",
          capacity);
    }
    return false;
  }

  private static final class Entry {
    final ArrayDeque<Instant> failures = new ArrayDeque<>();
    Instant lockedUntil;

    void prune(Instant since) {
      while (!failures.isEmpty() && failures.peekFirst().isBefore(since)) {
        failures.removeFirst();
      }
    }

    synchronized boolean idle(Instant now, Instant since) {
      prune(since);
      return failures.isEmpty() && (lockedUntil == null || !now.isBefore(lockedUntil));
    }
  }
}
