package dev.berth.server.cluster;

import dev.berth.core.control.WorkQueue;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.ObservationListener;
import dev.berth.core.task.RunController;
import dev.berth.server.event.EventService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The one place where what the clusters observe is routed: events to the event centre, instance
 * changes to the app queue, run changes to the run controller, and every observation to the
 * features that follow instances themselves ({@link ObservationListener} beans, such as discovery).
 * Started once the server is ready, for the clusters present then and every cluster registered
 * later.
 */
@Component
public class ClusterObservations {
  private final Clusters clusters;
  private final EventService events;
  private final WorkQueue queue;
  private final ObjectProvider<RunController> runs;
  private final ObjectProvider<ObservationListener> listeners;

  public ClusterObservations(
      Clusters clusters,
      EventService events,
      WorkQueue queue,
      ObjectProvider<RunController> runs,
      ObjectProvider<ObservationListener> listeners) {
    this.clusters = clusters;
    this.events = events;
    this.queue = queue;
    this.runs = runs;
    this.listeners = listeners;
  }

  /** Routes the observations of every cluster, present and registered from now on. Call once. */
  public void routeAll() {
    for (var c : clusters.clusters()) {
      clusters.runtime(c.name()).ifPresent(this::route);
    }
    clusters.onAdded(this::route);
  }

  private void route(ClusterRuntime runtime) {
    runtime.observe(this::dispatch);
  }

  private void dispatch(Observation o) {
    switch (o) {
      case Observation.Happened h -> events.emit(h.event());
      case Observation.InstanceChanged c -> queue.enqueue(c.instance().app());
      case Observation.InstanceRemoved r -> queue.enqueue(r.app());
      case Observation.RunChanged r -> runs.ifAvailable(c -> c.dispatch(r.run().runId()));
    }
    listeners.orderedStream().forEach(l -> l.on(o));
  }
}
