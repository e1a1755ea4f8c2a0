package dev.berth.core.autoscale;

import java.time.Instant;

/**
 * A schedule window at one moment: whether it is open, and when it last closed (null: never, as far
 * as looked back). Computed from the cron expressions by a {@link WindowClock}.
 */
public record WindowState(ScheduleWindow window, boolean open, Instant lastEnd) {}
