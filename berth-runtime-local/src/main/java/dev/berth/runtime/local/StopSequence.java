package dev.berth.runtime.local;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The graceful stop of a container: the preStop hook (bounded by the stop timeout), SIGTERM, waiting
 * for the shim to report the exit until the timeout, then SIGKILL. Deleting the container is the
 * caller's job (it reads the OOM counter from the kept cgroup first).
 */
final class StopSequence {
  private final Runc runc;
  private final String id;

  StopSequence(Runc runc, String id) {
    this.runc = runc;
    this.id = id;
  }

  /** Right after start, PID 1 (tini) may not handle signals yet and the kernel drops a SIGTERM for it. */
  static final Duration YOUNG = Duration.ofSeconds(2);

  /** How long to wait for the shim after SIGKILL before abandoning it. */
  static final Duration AFTER_KILL = Duration.ofSeconds(5);

  /** Returns the shim's exit status when it ended, empty when it had to be abandoned. */
  Optional<Integer> stop(CompletableFuture<Integer> exit, List<String> preStop, Duration timeout) {
    return stop(exit, preStop, timeout, false);
  }

  /**
   * Like {@link #stop(CompletableFuture, List, Duration)}; for a container started less than {@link
   * #YOUNG} ago ({@code young}) SIGTERM is sent a second time after a second, because the first may
   * have reached its init before it could handle signals.
   */
  Optional<Integer> stop(CompletableFuture<Integer> exit, List<String> preStop, Duration timeout, boolean young) {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!preStop.isEmpty() && !exit.isDone()) {
      runc.exec(id, preStop, timeout);
    }
    if (!exit.isDone()) {
      runc.kill(id, "TERM");
    }
    if (young) {
      Optional<Integer> early = await(exit, Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(0, deadline - System.nanoTime())));
      if (early.isPresent()) {
        return early;
      }
      runc.kill(id, "TERM");
    }
    Optional<Integer> status = await(exit, Math.max(0, deadline - System.nanoTime()));
    if (status.isPresent()) {
      return status;
    }
    runc.kill(id, "KILL");
    return await(exit, AFTER_KILL.toNanos());
  }

  private static Optional<Integer> await(CompletableFuture<Integer> exit, long nanos) {
    try {
      return Optional.ofNullable(exit.get(nanos, TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(-1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
