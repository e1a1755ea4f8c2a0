/**
 * The local runtime: {@link dev.berth.runtime.local.LocalRuntime} runs every instance as a runc
 * container on this host. Entry point: {@code new LocalRuntime(LocalRuntimeConfig, ImageStore,
 * Scheduler)}; the scheduler gives the time and runs every timer.
 *
 * <p>Shape (ADR 0012): {@link dev.berth.runtime.local.LocalRuntime} keeps the tables and routes
 * calls; {@link dev.berth.runtime.local.Supervisor} (per instance) and {@link
 * dev.berth.runtime.local.RunSupervisor} (per run) are state machines on a shared {@link
 * dev.berth.runtime.local.Mailbox}; both drive containers through one {@link
 * dev.berth.runtime.local.ContainerLifecycle} ({@link dev.berth.runtime.local.RuncLifecycle}:
 * prepare → IP → network → overlay → bundle → shim → observe exit → stop → release, collaborators
 * in {@link dev.berth.runtime.local.LifecycleParts}, undo on a failed start) and report through a
 * {@link dev.berth.runtime.local.SupervisorListener}. Exits: our own shims through {@code
 * Process.onExit}, adopted ones through their exit file ({@link dev.berth.runtime.local.FileWatch},
 * inotify) with a slow safety poll.
 *
 * <p>Layout of the data directory: {@code instances/<app>/<id>/} is the runc bundle (state.json,
 * config.json, overlay {@code rootfs}/{@code upper}/{@code work}, generated {@code hosts} and
 * {@code resolv.conf}, the shim's {@code exit} file, {@code runc.log}); {@code
 * logs/<app>/<id>/console.log*} the console logs; {@code ipam.json} the fixed IPs; {@code runc/}
 * runc's state root. Task runs: {@code runs/<runId>/run.json} (workload + status, rewritten
 * atomically on every change), {@code runs/<runId>/bundle/} (as an instance's), {@code
 * runs/<runId>/exec/} (a transient helper bundle) and {@code logs/runs/<runId>/console.log*}.
 *
 * <p>Task runs ({@link dev.berth.runtime.local.RunSupervisor}, one actor per run): the container id
 * is the run id; the same lifecycle as instances (image, overlay, netns with an IP from the IPAM,
 * cgroups from the task's resources, tini, the shim). Each attempt gets a fresh overlay; a failed
 * attempt is retried with the instance back-off (1 s doubling to 60 s) while retries and time are
 * left ({@link dev.berth.runtime.local.RunPolicy}, pure); the timeout runs from the first start
 * over all attempts and ends the run with SIGTERM, grace, SIGKILL. Once ended a run is reclaimed
 * (runc delete, unmount, bundle, cgroups, netns and IP gone) unless it failed or timed out with
 * {@code keepOnFailure}: then the stopped container is deleted from runc but overlay, writable
 * layer, netns and IP stay until {@code reclaimRun}, and {@code exec} runs a helper container
 * ({@code <runId>.exec-<n>}, the run's config.json with other args and its own cgroup) on that
 * root. Ended runs stay queryable; a reclaimed run's record and log go after {@code logRetention}.
 * A new runtime restores every record at once, re-watches live shims (enforcing the remaining
 * timeout), handles attempts that ended meanwhile and never restarts an ended run.
 *
 * <p>Decisions worth knowing:
 *
 * <ul>
 *   <li>Supervision survives Berth: a {@code setsid sh} shim runs {@code runc run --keep} in the
 *       foreground and writes the exit status to the bundle; a new runtime re-adopts (shim alive →
 *       keep watching, with the readiness recorded for that shim's container; exit file → handle
 *       the exit, OOM from the kept cgroup, restart per back-off).
 *   <li>Capabilities are Docker's default set, with no-new-privileges; masked/read-only paths and
 *       standard mounts as {@code runc spec}. RLIMIT_NOFILE 1024 (runc spec).
 *   <li>Init: a statically linked {@code /usr/bin/tini-static} (Debian's {@code tini} package; its
 *       {@code /usr/bin/tini} is dynamic and is used only if static) is bind-mounted at {@code
 *       /.berth/init}; without one the entry runs directly and a note goes to the console log once.
 *   <li>CPU sets are a best-effort pinning to the least-used CPUs, not an exclusive reservation.
 *   <li>Logs: copy-and-truncate rotation (bytes written in the microseconds between the catch-up
 *       copy and the truncation are lost); logs outlive their instance and are swept after {@code
 *       logRetention} (default 7 days) once the instance is gone.
 *   <li>Cgroup parents ({@code /sys/fs/cgroup/<ctrl>/<cgroupParent>}) and the bridge are left in
 *       place when apps are deleted; they are shared by all instances.
 * </ul>
 */
package dev.berth.runtime.local;
