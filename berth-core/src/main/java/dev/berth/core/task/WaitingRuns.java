package dev.berth.core.task;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.util.Optional;

/**
 * The waiting part of a run's life: asks {@link StartGate} whether a queued or waiting run may
 * start, stores it as {@link RunState#WAITING} with the reason while it may not, and records an
 * event when it starts to wait and when it starts after waiting.
 */
final class WaitingRuns {
  private final TaskStore store;
  private final EventSink events;
  private final Scheduler scheduler;
  private final NodeCpu nodeCpu;

  WaitingRuns(TaskStore store, EventSink events, Scheduler scheduler, NodeCpu nodeCpu) {
    this.store = store;
    this.events = events;
    this.scheduler = scheduler;
    this.nodeCpu = nodeCpu;
  }

  /**
   * Empty when {@code run} may start now (it was not held back, or its conditions are met);
   * otherwise the run is stored as waiting and the answer is when to look again.
   */
  Optional<Duration> hold(Run run, Placement placement) {
    if (run.state() != RunState.QUEUED && run.state() != RunState.WAITING) {
      return Optional.empty();
    }
    StartGate.Decision gate =
        StartGate.decide(placement, scheduler.instant(), () -> nodeCpu.busyPercent(run.cluster()));
    if (gate.go()) {
      if (run.state() == RunState.WAITING) {
        emit(
            run,
            "StartedAfterWaiting",
            "starts after waiting since " + run.createdAt() + " (" + run.message() + ")");
      }
      return Optional.empty();
    }
    if (run.state() != RunState.WAITING || !gate.reason().equals(run.message())) {
      store.updateRun(run.with(RunState.WAITING, gate.reason(), scheduler.instant()));
    }
    if (run.state() != RunState.WAITING) {
      emit(run, "Waiting", gate.reason());
    }
    return Optional.of(gate.recheck());
  }

  private void emit(Run run, String reason, String message) {
    events.emit(
        Event.normal(
            scheduler.instant(), run.cluster(), "run", run.id(), run.task(), reason, message));
  }
}
