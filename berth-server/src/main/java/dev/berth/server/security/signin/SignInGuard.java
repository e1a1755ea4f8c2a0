package dev.berth.server.security.signin;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The sign-in lock-out rules: a user name and a client address each have a failure counter ({@link
 * SignInThrottle}); either one locked refuses the sign-in before the password is checked. Names are
 * counted whether or not such a user exists, so a lock-out tells nothing about who has an account.
 * A successful sign-in resets the name's counter (not the address's: one good account must not let
 * an address go on guessing others). Bad API tokens are counted per address on their own.
 */
public final class SignInGuard {
  private static final int MAX_KEY_LENGTH = 256;

  private final SignInThrottle names;
  private final SignInThrottle addresses;
  private final SignInThrottle tokens;

  public SignInGuard(SignInProperties p, Clock clock) {
    this.names =
        new SignInThrottle(
            new SignInThrottle.Policy(p.maxFailures(), p.window(), p.lockout()),
            clock,
            p.capacity());
    this.addresses =
        new SignInThrottle(
            new SignInThrottle.Policy(p.maxFailuresPerAddress(), p.window(), p.lockout()),
            clock,
            p.capacity());
    this.tokens =
        new SignInThrottle(
            new SignInThrottle.Policy(p.maxTokenFailures(), p.window(), p.lockout()),
            clock,
            p.capacity());
  }

  /** Until when a sign-in as {@code name} from {@code address} is refused, if it is. */
  public Optional<Instant> lockedUntil(String name, String address) {
    Optional<Instant> byName = names.lockedUntil(nameKey(name));
    Optional<Instant> byAddress = addresses.lockedUntil(addressKey(address));
    return later(byName, byAddress);
  }

  /** Counts a failed sign-in; returns until when it is locked now, if it is. */
  public Optional<Instant> failed(String name, String address) {
    Optional<Instant> byName = names.fail(nameKey(name));
    Optional<Instant> byAddress = addresses.fail(addressKey(address));
    return later(byName, byAddress);
  }

  public void succeeded(String name) {
    names.reset(nameKey(name));
  }

  /** Until when bearer tokens from this address are refused, if they are. */
  public Optional<Instant> tokensLockedUntil(String address) {
    return tokens.lockedUntil(addressKey(address));
  }

  /**
   * Counts an unknown or expired bearer token; returns until when the address is locked now, if it
   * is.
   */
  public Optional<Instant> badToken(String address) {
    return tokens.fail(addressKey(address));
  }

  /** How long a lock-out lasts, for the sign-in page's message. */
  public java.time.Duration lockout() {
    return names.policy().lockout();
  }

  static String nameKey(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    return n.length() > MAX_KEY_LENGTH ? n.substring(0, MAX_KEY_LENGTH) : n;
  }

  private static String addressKey(String address) {
    return address == null ? "unknown" : address;
  }

  private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isPresent() && b.get().isAfter(a.get()) ? b : a;
  }
}
