package dev.berth.server.support.exec;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How many commands run at once: at most {@code perBerth} in this Berth and {@code perUser} for one
 * user. A command takes a {@link Permit} before it starts and gives it back when it ends; one past
 * a bound is refused at once with {@link TooManyExecsException} naming the bound and its setting,
 * instead of holding another request thread for minutes.
 */
public final class ExecLimiter {
  /**
   * The bounds and the settings that change them.
   *
   * @param what what is counted, in the plural, for messages ("execs", "terminals")
   * @param perBerth most at once in this Berth; {@code Integer.MAX_VALUE} for no bound
   * @param perBerthSetting the setting of {@code perBerth}
   * @param perUser most at once for one user
   * @param perUserSetting the setting of {@code perUser}
   */
  public record Limits(
      String what, int perBerth, String perBerthSetting, int perUser, String perUserSetting) {
    public Limits {
      if (perBerth < 1 || perUser < 1) {
        throw new IllegalArgumentException(
            perBerthSetting + " and " + perUserSetting + " must be at least 1");
      }
    }
  }

  /** One running command's place; closing it twice gives it back once. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final Limits limits;
  private final Map<String, Integer> byUser = new HashMap<>();
  private int running;

  public ExecLimiter(Limits limits) {
    this.limits = limits;
  }

  /**
   * Takes a place for a command of {@code user}.
   *
   * @throws TooManyExecsException when this Berth or this user is at its bound
   */
  public synchronized Permit acquire(String user) {
    Optional<String> refused = refusal(limits, user, byUser.getOrDefault(user, 0), running);
    if (refused.isPresent()) {
      throw new TooManyExecsException(refused.get());
    }
    running++;
    byUser.merge(user, 1, Integer::sum);
    return new Place(user);
  }

  /**
   * Why one more of {@code user} may not start while {@code mine} of theirs and {@code all} in this
   * Berth run, naming the bound and its setting; empty when it may.
   */
  public static Optional<String> refusal(Limits limits, String user, int mine, int all) {
    if (mine >= limits.perUser()) {
      return Optional.of(
          limits.what()
              + " of "
              + user
              + " running now: "
              + mine
              + ", the most one user may have at once ("
              + limits.perUserSetting()
              + "="
              + limits.perUser()
              + "); wait for one to end, or ask the operator to raise "
              + limits.perUserSetting());
    }
    if (all >= limits.perBerth()) {
      return Optional.of(
          limits.what()
              + " running now in this Berth: "
              + all
              + ", the most it runs at once ("
              + limits.perBerthSetting()
              + "="
              + limits.perBerth()
              + "); try again shortly, or ask the operator to raise "
              + limits.perBerthSetting());
    }
    return Optional.empty();
  }

  /** How many commands run now: in this Berth when {@code user} is null, else for {@code user}. */
  public synchronized int running(String user) {
    return user == null ? running : byUser.getOrDefault(user, 0);
  }

  private synchronized void release(Place place) {
    if (place.closed) {
      return;
    }
    place.closed = true;
    running--;
    byUser.computeIfPresent(place.user, (u, n) -> n <= 1 ? null : n - 1);
  }

  private final class Place implements Permit {
    private final String user;
    private boolean closed;

    private Place(String user) {
      this.user = user;
    }

    @Override
    public void close() {
      release(this);
    }
  }
}
