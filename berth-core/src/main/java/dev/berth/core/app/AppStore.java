package dev.berth.core.app;

import dev.berth.core.support.Page;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Desired state of applications and their revisions. Implementations are transactional per call and
 * safe for concurrent use. Mutations of the desired state check {@code expectedVersion} and throw
 * {@link dev.berth.core.support.ConflictException} when it is stale.
 */
public interface AppStore {
  /**
   * Stores a new application with its first revision, atomically.
   *
   * @throws dev.berth.core.support.ConflictException when the name is taken
   */
  App create(App app, Revision first);

  Optional<App> find(String name);

  /** Applications whose name contains {@code query} (all when blank), ordered by name. */
  default Page<App> list(String query, int page, int size) {
    return list(query, null, page, size);
  }

  /**
   * Applications whose name contains {@code query} (all when blank) and whose team is one of {@code
   * teams} ({@code null}: every team; empty: none), ordered by name.
   */
  Page<App> list(String query, Set<String> teams, int page, int size);

  /** The names of all applications of a cluster, including those being deleted. */
  List<String> names(String cluster);

  /**
   * Replaces the desired state (spec, revision, instances, reserved ordinals, deleting) and, when
   * {@code newRevision} is not null, stores it too, atomically. Bumps {@code version}.
   *
   * @throws dev.berth.core.support.ConflictException when {@code expectedVersion} is stale
   */
  App update(App app, long expectedVersion, Revision newRevision);

  /** Writes the observed status only; never conflicts with desired-state changes. */
  void updateStatus(String name, AppStatus status);

  /** Removes the application and its revisions for good. */
  void delete(String name);

  List<Revision> revisions(String app);

  Optional<Revision> revision(String app, long number);
}
