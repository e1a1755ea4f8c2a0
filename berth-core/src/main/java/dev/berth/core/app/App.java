package dev.berth.core.app;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * An application: desired state as the user asked for it (spec at {@code revision}, {@code
 * instances}) plus the observed {@link AppStatus}. {@code reservedOrdinals} are ordinals deleted on
 * purpose without replacement; the instances take the lowest free ordinals. {@code version}
 * guards against lost updates: a change made against an old version is refused.
 */
public record App(
    String name,
    String team,
    String owner,
    String cluster,
    AppSpec spec,
    long revision,
    int instances,
    Set<Integer> reservedOrdinals,
    boolean deleting,
    long version,
    AppStatus status,
    Instant createdAt,
    Instant updatedAt) {
  public App {
    reservedOrdinals = reservedOrdinals == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(reservedOrdinals));
  }

  public App withStatus(AppStatus s) {
    return new App(name, team, owner, cluster, spec, revision, instances, reservedOrdinals, deleting, version, s, createdAt, updatedAt);
  }
}
