package dev.berth.runtime.local;

/**
 * The lifecycle's access to the cgroups of its containers: where runc makes them, how many OOM kills
 * the kernel counted in a (kept) container's cgroup, and removing what runc left behind. One
 * collaborator so that the cgroup mode of the host (v1 or v2) is decided in one place.
 * Implementations are thread-safe and never throw for a missing cgroup.
 */
interface ContainerCgroups {
  /** The {@code linux.cgroupsPath} runc is given for container {@code id}. */
  String path(String id);

  /** OOM kills counted in the container's cgroup; 0 when none or unreadable. */
  long oomKills(String id);

  /** Removes the container's (empty) cgroup directories; a best-effort safety net after runc delete. */
  void remove(String id);

  /** Whether any cgroup directory of the container is left. */
  boolean exists(String id);
}
