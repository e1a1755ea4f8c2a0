package dev.berth.runtime.local;

import dev.berth.runtime.local.cgroup.Cgroups;

/**
 * The lifecycle's access to the cgroups of its containers: the host's {@link Cgroups} (v1 or v2, as
 * detected) under this runtime's cgroup parent. One collaborator, so the lifecycle never builds a
 * cgroup path itself. Thread-safe; never throws for a missing cgroup.
 */
record ContainerCgroups(Cgroups host, String parent) {
  static ContainerCgroups forHost(String parent) {
    return new ContainerCgroups(Cgroups.host(), parent);
  }

  /** The {@code linux.cgroupsPath} runc is given for container {@code id}. */
  String path(String id) {
    return "/" + parent + "/" + id;
  }

  /** OOM kills counted in the container's (kept) cgroup; 0 when none or unreadable. */
  long oomKills(String id) {
    return host.oomKills(path(id));
  }

  /**
   * Removes the container's empty cgroup directories: the safety net after runc delete or a failed
   * create.
   */
  void remove(String id) {
    host.removeIfEmpty(path(id));
  }

  /** The container's counters for metrics; empty when its cgroup does not exist. */
  java.util.Optional<Cgroups.Stats> stats(String id) {
    return host.stats(path(id));
  }

  /** Whether any cgroup directory of the container is left. */
  boolean exists(String id) {
    return host.exists(path(id));
  }
}
