package dev.berth.runtime.local;

import dev.berth.core.runtime.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ContainerLifecycle} in memory for the supervisors' unit tests: a start hands out a
 * container whose exit the test decides ({@link #exit}), a start can be made to fail, an adoption
 * finds the shim the test names ({@link #liveShimPid}), and every call is recorded. Stopping a
 * container ends it with 143 (SIGTERM).
 */
final class FakeLifecycle implements ContainerLifecycle {
  final List<String> calls = new ArrayList<>();
  int starts;
  int releases;
  RuntimeException failNextStarts;
  int failuresLeft;
  boolean oom;
  private CompletableFuture<Integer> current;

  @Override
  public Running start(Start s, Runnable onExit) throws IOException {
    calls.add("start");
    starts++;
    if (failuresLeft > 0) {
      failuresLeft--;
      throw failNextStarts;
    }
    Files.createDirectories(s.dirs().bundle());
    current = new CompletableFuture<>();
    current.thenRun(onExit);
    return new Running(
        "10.0.0.2", "/images/x", null, new Containers.Shim(1000 + starts, current, null), true);
  }

  /** The running container ends with {@code status}. */
  void exit(int status) {
    current.complete(status);
  }

  boolean running() {
    return current != null && !current.isDone();
  }

  /**
   * The next {@code n} starts fail with {@code e} (as a runc error or address exhaustion would).
   */
  void failStarts(int n, RuntimeException e) {
    failuresLeft = n;
    failNextStarts = e;
  }

  /** The pid of a shim an adoption finds still running; 0: none (the container ended). */
  long liveShimPid;

  @Override
  public Optional<Running> adopt(
      String id, InstanceDirs dirs, long shimPid, String lower, String cpus, Runnable onExit) {
    calls.add("adopt");
    if (liveShimPid == 0) {
      return Optional.empty();
    }
    current = new CompletableFuture<>();
    current.thenRun(onExit);
    return Optional.of(
        new Running(
            "10.0.0.2", lower, cpus, new Containers.Shim(liveShimPid, current, null), true));
  }

  @Override
  public boolean hasRemains(String id, InstanceDirs dirs) {
    return false;
  }

  @Override
  public Ended collect(String id, InstanceDirs dirs, int shimStatus) {
    calls.add("collect");
    return new Ended(shimStatus, oom, Optional.empty());
  }

  @Override
  public Ended stop(
      String id,
      InstanceDirs dirs,
      Running running,
      List<String> preStop,
      Duration grace,
      boolean young) {
    calls.add("stop");
    running.exit().complete(143);
    return collect(id, dirs, 143);
  }

  @Override
  public void discard(String id) {
    calls.add("discard");
  }

  @Override
  public void freshRoot(InstanceDirs dirs) {
    calls.add("freshRoot");
  }

  @Override
  public void release(String id, InstanceDirs dirs, boolean keepAddress) {
    calls.add("release");
    releases++;
  }

  @Override
  public boolean rootKept(InstanceDirs dirs) {
    return releases == 0;
  }

  @Override
  public Optional<String> address(String id) {
    return Optional.empty();
  }

  @Override
  public ExecResult exec(String id, List<String> command, Duration timeout) {
    return new ExecResult(0, "", false);
  }

  @Override
  public ExecResult execOnRoot(
      String helperId, InstanceDirs dirs, List<String> command, Duration timeout) {
    return new ExecResult(0, "kept", false);
  }
}
