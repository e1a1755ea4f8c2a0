package dev.berth.runtime.local;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventType;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.ObservationListener;
import dev.berth.core.runtime.RunStatus;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what supervisors report into the runtime's {@link Observation}s: one {@link
 * SupervisorListener} per instance or run, events stamped with the scheduler's time, and delivery
 * to every registered {@link ObservationListener} (one that throws is logged and skipped).
 * Thread-safe.
 */
final class Observations {
  private static final Logger log = LoggerFactory.getLogger(Observations.class);
  private final String cluster;
  private final InstantSource clock;
  private final List<ObservationListener> listeners = new CopyOnWriteArrayList<>();

  Observations(String cluster, InstantSource clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  void add(ObservationListener listener) {
    listeners.add(listener);
  }

  /**
   * Reports of instance {@code id}; {@code leaveTable} runs when the instance is gone, before it is
   * told.
   */
  SupervisorListener<Instance> instance(String app, String id, Runnable leaveTable) {
    return listener(
        i -> new Observation.InstanceChanged(cluster, i),
        "instance",
        id,
        app,
        () -> {
          leaveTable.run();
          publish(new Observation.InstanceRemoved(cluster, app, id));
        });
  }

  /** Reports of run {@code runId} of {@code task}. */
  SupervisorListener<RunStatus> run(String runId, String task) {
    return listener(r -> new Observation.RunChanged(cluster, r), "run", runId, task, () -> {});
  }

  /** Tells the listeners about an instance that has no supervisor (one waiting for the node). */
  void changed(Instance i) {
    publish(new Observation.InstanceChanged(cluster, i));
  }

  /** Tells the listeners about a run that has no supervisor (one waiting for the node). */
  void changed(RunStatus r) {
    publish(new Observation.RunChanged(cluster, r));
  }

  /** Tells the listeners that a waiting instance is no longer wanted. */
  void removed(String app, String id) {
    publish(new Observation.InstanceRemoved(cluster, app, id));
  }

  private <T> SupervisorListener<T> listener(
      Function<T, Observation> change, String kind, String name, String owner, Runnable gone) {
    return new SupervisorListener<>() {
      @Override
      public void changed(T status) {
        publish(change.apply(status));
      }

      @Override
      public void event(EventType type, String reason, String message) {
        publishEvent(kind, name, owner, type, reason, message);
      }

      @Override
      public void gone() {
        gone.run();
      }
    };
  }

  private void publishEvent(
      String kind, String name, String owner, EventType type, String reason, String message) {
    Event e =
        type == EventType.WARNING
            ? Event.warning(clock.instant(), cluster, kind, name, owner, reason, message)
            : Event.normal(clock.instant(), cluster, kind, name, owner, reason, message);
    publish(new Observation.Happened(cluster, e));
  }

  private void publish(Observation o) {
    for (ObservationListener l : listeners) {
      try {
        l.on(o);
      } catch (RuntimeException e) {
        log.warn("observation listener {} failed on {}: {}", l, o, e.toString());
      }
    }
  }
}
