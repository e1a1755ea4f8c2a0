package dev.berth.runtime.local;

import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The graceful stop of a container: the preStop hook (bounded by the stop timeout), SIGTERM,
 * waiting for the shim to report the exit until the timeout, then SIGKILL. Waits are measured on
 * the injected {@link Scheduler}. Deleting the container is the caller's job (it reads the OOM
 * counter from the kept cgroup first).
 */
final class StopSequence {
  /**
   * Right after start, PID 1 (tini) may not handle signals yet and the kernel drops a SIGTERM for
   * it.
   */
  static final Duration YOUNG = Duration.ofSeconds(2);

  /** How long to wait for the shim after SIGKILL before abandoning it. */
  static final Duration AFTER_KILL = Duration.ofSeconds(5);

  private final Runc runc;
  private final Scheduler scheduler;

  StopSequence(Runc runc, Scheduler scheduler) {
    this.runc = runc;
    this.scheduler = scheduler;
  }

  /**
   * Stops container {@code id} whose shim ends {@code exit}. For a container started less than
   * {@link #YOUNG} ago ({@code young}) SIGTERM is sent a second time after a second, because the
   * first may have reached its init before it could handle signals.
   *
   * @return the shim's exit status when it ended, empty when it had to be abandoned
   */
  Optional<Integer> stop(
      String id,
      CompletableFuture<Integer> exit,
      List<String> preStop,
      Duration timeout,
      boolean young) {
    Instant deadline = scheduler.instant().plus(timeout);
    if (!preStop.isEmpty() && !exit.isDone()) {
      runc.exec(id, preStop, timeout);
    }
    if (!exit.isDone()) {
      runc.kill(id, "TERM");
    }
    if (young) {
      Duration second = Duration.ofSeconds(1);
      Optional<Integer> early =
          await(exit, left(deadline).compareTo(second) < 0 ? left(deadline) : second);
      if (early.isPresent()) {
        return early;
      }
      runc.kill(id, "TERM");
    }
    Optional<Integer> status = await(exit, left(deadline));
    if (status.isPresent()) {
      return status;
    }
    runc.kill(id, "KILL");
    return await(exit, AFTER_KILL);
  }

  private Duration left(Instant deadline) {
    Duration d = Duration.between(scheduler.instant(), deadline);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Optional<Integer> await(CompletableFuture<Integer> exit, Duration timeout) {
    Optional<Integer> v = Waits.await(exit, timeout, scheduler);
    return v.isEmpty() && exit.isDone() ? Optional.of(-1) : v;
  }
}
