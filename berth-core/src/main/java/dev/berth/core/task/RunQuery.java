package dev.berth.core.task;

import java.time.Instant;

/** A search over runs, newest first: by task, state and creation time; {@code page} counts from 0. */
public record RunQuery(String task, RunState state, Instant since, Instant until, int page, int size) {}
