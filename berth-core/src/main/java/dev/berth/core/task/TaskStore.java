package dev.berth.core.task;

import dev.berth.core.support.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Tasks and their runs. Transactional per call, safe for concurrent use. */
public interface TaskStore {
  /**
   * @throws dev.berth.core.support.ConflictException when the name is taken
   */
  Task create(Task task);

  Optional<Task> find(String name);

  default Page<Task> list(String query, int page, int size) {
    return list(query, null, page, size);
  }

  /**
   * Tasks whose name contains {@code query} and whose team is one of {@code teams} ({@code null}:
   * every team).
   */
  Page<Task> list(String query, Set<String> teams, int page, int size);

  /** Removes the task; its runs stay until deleted or swept. */
  void delete(String name);

  /**
   * Creates the next run of {@code task} (number = previous + 1, id {@code <task>-<number>}), state
   * queued. For a scheduled fire ({@code scheduledAt} not null) at most one run per fire time
   * exists: a second call for the same fire returns empty.
   */
  Optional<Run> createRun(String task, String cluster, Instant scheduledAt, Instant now);

  Optional<Run> findRun(String id);

  /** Writes a run's observed fields (state, attempts, exit, node, reclaimed, times, callback). */
  void updateRun(Run run);

  /** Newest first; {@code total} is exact up to 10 000 and capped there. */
  Page<Run> runs(RunQuery query);

  /** Runs of a task, or of all tasks when null, in one of {@code states}. */
  List<Run> runsIn(String task, Set<RunState> states);

  void deleteRun(String id);

  /** Final runs created before {@code cutoff} that are reclaimed; returns how many were deleted. */
  int deleteEndedBefore(Instant cutoff);

  /** Deletes the oldest final, reclaimed runs beyond the newest {@code keep}; returns how many. */
  int deleteOldestBeyond(long keep);
}
