package dev.berth.core.app;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * An application: desired state as the user asked for it (spec at {@code revision}, {@code
 * instances}) plus the observed {@link AppStatus}. {@code reservedOrdinals} are ordinals deleted on
 * purpose without replacement; the instances take the lowest free ordinals. {@code version} guards
 * against lost updates: a change made against an old version is refused.
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
    reservedOrdinals =
        reservedOrdinals == null
            ? Set.of()
            : java.util.Collections.unmodifiableSet(new TreeSet<>(reservedOrdinals));
  }

  public App withStatus(AppStatus s) {
    return toBuilder().status(s).build();
  }

  /** A builder for a new app: revision 1, version 1, no reserved ordinals, not being deleted. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this app, for a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.team = team;
    b.owner = owner;
    b.cluster = cluster;
    b.spec = spec;
    b.revision = revision;
    b.instances = instances;
    b.reservedOrdinals = reservedOrdinals;
    b.deleting = deleting;
    b.version = version;
    b.status = status;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    return b;
  }

  /**
   * Names every field of an {@link App} instead of a dozen positional arguments. Not thread-safe.
   */
  public static final class Builder {
    private String name;
    private String team;
    private String owner;
    private String cluster;
    private AppSpec spec;
    private long revision = 1;
    private int instances;
    private Set<Integer> reservedOrdinals = Set.of();
    private boolean deleting;
    private long version = 1;
    private AppStatus status;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder() {}

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder team(String v) {
      team = v;
      return this;
    }

    public Builder owner(String v) {
      owner = v;
      return this;
    }

    public Builder cluster(String v) {
      cluster = v;
      return this;
    }

    public Builder spec(AppSpec v) {
      spec = v;
      return this;
    }

    public Builder revision(long v) {
      revision = v;
      return this;
    }

    public Builder instances(int v) {
      instances = v;
      return this;
    }

    public Builder reservedOrdinals(Set<Integer> v) {
      reservedOrdinals = v;
      return this;
    }

    public Builder deleting(boolean v) {
      deleting = v;
      return this;
    }

    public Builder version(long v) {
      version = v;
      return this;
    }

    public Builder status(AppStatus v) {
      status = v;
      return this;
    }

    public Builder createdAt(Instant v) {
      createdAt = v;
      return this;
    }

    public Builder updatedAt(Instant v) {
      updatedAt = v;
      return this;
    }

    public App build() {
      return new App(
          name,
          team,
          owner,
          cluster,
          spec,
          revision,
          instances,
          reservedOrdinals,
          deleting,
          version,
          status,
          createdAt,
          updatedAt);
    }
  }
}
