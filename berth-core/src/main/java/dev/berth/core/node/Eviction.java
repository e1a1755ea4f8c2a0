package dev.berth.core.node;

/**
 * What became of a request to evict one instance from its node (a drain's step): {@code evicted},
 * or refused with the {@code blockedReason} a user should read (e.g. "disruption budget of app web
 * allows 0 more unavailable instances"). A refused eviction is retried by the caller.
 */
public record Eviction(boolean evicted, String blockedReason) {
  public static final Eviction DONE = new Eviction(true, null);

  public static Eviction blocked(String reason) {
    return new Eviction(false, reason);
  }
}
