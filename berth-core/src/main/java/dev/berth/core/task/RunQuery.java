package dev.berth.core.task;

import java.time.Instant;
import java.util.Set;

/**
 * A search over runs, newest first: by task, state and creation time; {@code page} counts from 0.
 * {@code teams} limits it to runs of tasks of those teams ({@code null}: every team; empty: none).
 */
public record RunQuery(
    String task,
    RunState state,
    Instant since,
    Instant until,
    int page,
    int size,
    Set<String> teams) {
  public RunQuery(String task, RunState state, Instant since, Instant until, int page, int size) {
    this(task, state, since, until, page, size, null);
  }

  /** The same search limited to {@code readable} teams ({@code null}: unchanged). */
  public RunQuery within(Set<String> readable) {
    return new RunQuery(task, state, since, until, page, size, readable);
  }
}
