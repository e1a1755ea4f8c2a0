package dev.berth.server.image;

import java.time.Instant;
import java.util.List;

/**
 * A replication rule: repositories of {@code sourceRegistry} matching {@code filter} (a {@link
 * dev.berth.oci.replication.RepositoryGlob}) are copied to every target, under the target's {@code
 * namespace} prefix when it has one.
 */
public record ReplicationRule(
    String name,
    String sourceRegistry,
    String filter,
    List<Target> targets,
    boolean enabled,
    String createdBy,
    Instant createdAt) {
  public ReplicationRule {
    targets = List.copyOf(targets);
  }

  /** A registry to copy to, and an optional repository prefix there (empty: the same path). */
  public record Target(String registry, String namespace) {
    public Target {
      namespace = namespace == null ? "" : namespace;
    }

    /** The repository in this target for a source repository. */
    public String repository(String sourceRepository) {
      return namespace.isEmpty() ? sourceRepository : namespace + "/" + sourceRepository;
    }

    /** The source repository for a repository in this target, when it lies under the namespace. */
    public java.util.Optional<String> sourceRepository(String targetRepository) {
      if (namespace.isEmpty()) {
        return java.util.Optional.of(targetRepository);
      }
      return targetRepository.startsWith(namespace + "/")
          ? java.util.Optional.of(targetRepository.substring(namespace.length() + 1))
          : java.util.Optional.empty();
    }
  }
}
