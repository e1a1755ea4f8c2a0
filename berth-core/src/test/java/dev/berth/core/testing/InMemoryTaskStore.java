package dev.berth.core.testing;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Page;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunQuery;
import dev.berth.core.task.RunState;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link TaskStore} in memory with the JDBC store's rules: run numbers per task from 1 (never
 * reused, also after runs are deleted), at most one run per task and fire time, runs outliving
 * their task, newest-first listings with totals capped at 10 000. Thread-safe.
 */
public final class InMemoryTaskStore implements TaskStore {
  private static final int COUNT_CAP = 10_000;
  private final Map<String, Task> tasks = new TreeMap<>();
  private final Map<String, Long> nextNumber = new HashMap<>();
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final Set<String> fires = new HashSet<>();

  @Override
  public synchronized Task create(Task task) {
    if (tasks.containsKey(task.name())) {
      throw new ConflictException("task '" + task.name() + "' already exists");
    }
    tasks.put(task.name(), task);
    nextNumber.put(task.name(), 1L);
    return task;
  }

  @Override
  public synchronized Optional<Task> find(String name) {
    return Optional.ofNullable(tasks.get(name));
  }

  @Override
  public synchronized Page<Task> list(String query, Set<String> teams, int page, int size) {
    String q = query == null ? "" : query;
    List<Task> all =
        tasks.values().stream()
            .filter(t -> t.name().contains(q))
            .filter(t -> teams == null || teams.contains(t.team()))
            .toList();
    int from = Math.min(all.size(), page * size);
    return new Page<>(all.subList(from, Math.min(all.size(), from + size)), page, size, all.size());
  }

  @Override
  public synchronized void delete(String name) {
    tasks.remove(name);
    nextNumber.remove(name);
  }

  @Override
  public synchronized Optional<Run> createRun(
      String task, String cluster, Instant scheduledAt, Instant now) {
    if (!tasks.containsKey(task)) {
      return Optional.empty();
    }
    if (scheduledAt != null && !fires.add(task + "@" + scheduledAt)) {
      return Optional.empty();
    }
    long number = nextNumber.merge(task, 1L, Long::sum) - 1;
    Run run =
        new Run(
            task + "-" + number,
            task,
            number,
            cluster,
            RunState.QUEUED,
            0,
            null,
            null,
            null,
            null,
            null,
            false,
            scheduledAt,
            now,
            now,
            null,
            null,
            null,
            0);
    runs.put(run.id(), run);
    return Optional.of(run);
  }

  @Override
  public synchronized Optional<Run> findRun(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  @Override
  public synchronized void updateRun(Run run) {
    Run stored = runs.get(run.id());
    if (stored != null) {
      // Only the observed fields change, as in the JDBC store.
      runs.put(
          run.id(),
          new Run(
              stored.id(),
              stored.task(),
              stored.number(),
              stored.cluster(),
              run.state(),
              run.attempts(),
              run.exitCode(),
              run.reason(),
              run.message(),
              run.node(),
              run.hostIp(),
              run.reclaimed(),
              stored.scheduledAt(),
              stored.createdAt(),
              run.updatedAt(),
              run.startedAt(),
              run.endedAt(),
              run.callbackStatus(),
              run.callbackAttempts()));
    }
  }

  @Override
  public synchronized Page<Run> runs(RunQuery q) {
    List<Run> all =
        newestFirst().stream()
            .filter(r -> q.task() == null || q.task().isBlank() || r.task().equals(q.task()))
            .filter(r -> q.state() == null || r.state() == q.state())
            .filter(r -> q.since() == null || !r.createdAt().isBefore(q.since()))
            .filter(r -> q.until() == null || r.createdAt().isBefore(q.until()))
            .filter(
                r ->
                    q.teams() == null
                        || Optional.ofNullable(tasks.get(r.task()))
                            .map(t -> q.teams().contains(t.team()))
                            .orElse(false))
            .toList();
    int from = Math.min(all.size(), q.page() * q.size());
    return new Page<>(
        all.subList(from, Math.min(all.size(), from + q.size())),
        q.page(),
        q.size(),
        Math.min(all.size(), COUNT_CAP));
  }

  @Override
  public synchronized List<Run> runsIn(String task, Set<RunState> states) {
    return oldestFirst().stream()
        .filter(r -> (task == null || r.task().equals(task)) && states.contains(r.state()))
        .toList();
  }

  @Override
  public synchronized void deleteRun(String id) {
    runs.remove(id);
  }

  @Override
  public synchronized int deleteEndedBefore(Instant cutoff) {
    List<String> gone =
        runs.values().stream()
            .filter(r -> r.createdAt().isBefore(cutoff) && r.reclaimed() && r.state().isFinal())
            .map(Run::id)
            .toList();
    gone.forEach(runs::remove);
    return gone.size();
  }

  @Override
  public synchronized int deleteOldestBeyond(long keep) {
    List<Run> finished =
        oldestFirst().stream().filter(r -> r.reclaimed() && r.state().isFinal()).toList();
    long excess = Math.max(0, finished.size() - keep);
    finished.stream().limit(excess).forEach(r -> runs.remove(r.id()));
    return (int) excess;
  }

  private List<Run> oldestFirst() {
    List<Run> all = new ArrayList<>(runs.values());
    all.sort(
        Comparator.comparing(Run::createdAt)
            .thenComparing(Run::task)
            .thenComparingLong(Run::number));
    return all;
  }

  private List<Run> newestFirst() {
    List<Run> all = oldestFirst();
    java.util.Collections.reverse(all);
    return all;
  }

  /** Every run, oldest first (for assertions). */
  public synchronized List<Run> allRuns() {
    return oldestFirst();
  }

  /**
   * How many runs exist for {@code task} with fire time {@code at} (the store allows at most one).
   */
  public synchronized long runsFor(String task, Instant at) {
    return runs.values().stream()
        .filter(r -> r.task().equals(task) && Objects.equals(r.scheduledAt(), at))
        .count();
  }
}
