package dev.berth.runtime.local;

import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.ExitReason;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The life of one container, the same for app instances and task runs: prepare the image → IP →
 * network → overlay → bundle → shim → observe the exit → stop → release. {@link Supervisor} and
 * {@link RunSupervisor} hold only their own state machines and call this; {@link RuncLifecycle} is
 * the real one, unit tests use a fake.
 *
 * <p>Every method is called from the owning supervisor's mailbox only, one at a time per container;
 * different containers may call at once. A failing {@link #start} undoes what it did (mount, netns
 * and veth, cgroup, CPU set, a newly taken address) before it throws, so nothing is left behind.
 */
interface ContainerLifecycle {
  /**
   * What to start.
   *
   * @param lower the image root the overlay was last mounted on (null when unknown); a different
   *     one wipes the writable layer
   * @param freshRoot wipe the writable layer before mounting (each attempt of a run starts clean)
   * @param noteMissingInit write a note to the console log when an init is wanted but none exists
   */
  record Start(
      String id,
      InstanceDirs dirs,
      String image,
      Containers.Workload workload,
      String lower,
      boolean freshRoot,
      boolean noteMissingInit) {}

  /**
   * A started container: its address, the root it runs on, its CPU set, and the shim to watch.
   *
   * @param created whether runc got as far as creating the container (false when it failed before)
   */
  record Running(String ip, String lower, String cpus, Containers.Shim shim, boolean created) {
    CompletableFuture<Integer> exit() {
      return shim.exit();
    }
  }

  /**
   * How a container ended.
   *
   * @param runcError the first error runc logged for this start, if any (e.g. a missing entry
   *     binary)
   */
  record Ended(int status, boolean oom, Optional<String> runcError) {
    /** Whether runc itself failed the start rather than the container ending. */
    boolean runcFailed() {
      return runcError.isPresent() && status != 0 && !oom;
    }

    ExitInfo info(Instant at) {
      return runcFailed()
          ? new ExitInfo(status, ExitReason.ERROR, 0, at, "runc: " + runcError.get())
          : ExitInfo.of(status, oom, at);
    }
  }

  /**
   * Starts a container; {@code onExit} runs (on any thread) once its shim ends.
   *
   * @throws Exception what went wrong; everything this call set up is undone first
   */
  Running start(Start start, Runnable onExit) throws Exception;

  /**
   * Watches again the live shim of a container started by an earlier Berth process, if there is
   * one.
   */
  Optional<Running> adopt(
      String id, InstanceDirs dirs, long shimPid, String lower, String cpus, Runnable onExit);

  /** Whether a container ended while nobody watched: its exit file or runc's state is left. */
  boolean hasRemains(String id, InstanceDirs dirs);

  /**
   * Collects how the container ended (exit file, OOM count, runc's error) and deletes it from runc.
   */
  Ended collect(String id, InstanceDirs dirs, int shimStatus) throws IOException;

  /**
   * Stops a running container gracefully (preStop, SIGTERM, {@code grace}, SIGKILL), ends a hung
   * shim, then collects it like {@link #collect}.
   */
  Ended stop(
      String id,
      InstanceDirs dirs,
      Running running,
      List<String> preStop,
      Duration grace,
      boolean young)
      throws IOException;

  /**
   * Deletes a container that no shim watches any more (the attempt is over), if runc still has it.
   */
  void discard(String id);

  /** Unmounts the overlay and wipes the writable layer: the next start gets the image as it is. */
  void freshRoot(InstanceDirs dirs) throws IOException;

  /**
   * Removes container, overlay, bundle, network, CPU set and cgroups, and the address unless {@code
   * keepAddress} (an instance's address is reserved for its ordinal; the runtime gives it back when
   * the ordinal goes for good). Idempotent; the log stays.
   */
  void release(String id, InstanceDirs dirs, boolean keepAddress) throws IOException;

  /** Whether the container's root file system is still mounted (a kept run). */
  boolean rootKept(InstanceDirs dirs);

  /** The fixed address of {@code id}, if it has one. */
  Optional<String> address(String id);

  /** {@code runc exec} in the running container. */
  ExecResult exec(String id, List<String> command, Duration timeout);

  /** {@code runc exec -t} in the running container: {@code command} with a terminal. */
  default dev.berth.core.runtime.Terminal terminal(
      String id, List<String> command, int columns, int rows) {
    throw new UnsupportedOperationException("no terminals in this lifecycle");
  }

  /**
   * Starts {@code command} with a terminal in helper container {@code helperId} on the kept root of
   * {@code dirs}; the helper is removed when it ends.
   */
  default dev.berth.core.runtime.Terminal terminalOnRoot(
      String helperId, InstanceDirs dirs, List<String> command, int columns, int rows)
      throws IOException {
    throw new UnsupportedOperationException("no terminals in this lifecycle");
  }

  /** Runs {@code command} in helper container {@code helperId} on the kept root of {@code dirs}. */
  ExecResult execOnRoot(String helperId, InstanceDirs dirs, List<String> command, Duration timeout)
      throws IOException;
}
