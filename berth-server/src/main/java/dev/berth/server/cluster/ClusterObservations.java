package dev.berth.server.cluster;

import dev.berth.core.control.WorkQueue;
import dev.berth.core.runtime.Observation;
import dev.berth.core.task.RunController;
import dev.berth.server.event.EventService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Routes the observations of clusters registered while the server runs, as the core wiring does for
 * those present at start: events to the event centre, instance changes to the app queue, run changes to
 * the run controller.
 */
@Component
public class ClusterObservations {
  private final Clusters clusters;
  private final EventService events;
  private final WorkQueue queue;
  private final ObjectProvider<RunController> runs;

  public ClusterObservations(Clusters clusters, EventService events, WorkQueue queue, ObjectProvider<RunController> runs) {
    this.clusters = clusters;
    this.events = events;
    this.queue = queue;
    this.runs = runs;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void start() {
    clusters.onAdded(runtime -> runtime.observe(o -> {
      switch (o) {
        case Observation.Happened h -> events.emit(h.event());
        case Observation.InstanceChanged c -> queue.enqueue(c.instance().app());
        case Observation.InstanceRemoved r -> queue.enqueue(r.app());
        case Observation.RunChanged r -> runs.ifAvailable(c -> c.dispatch(r.run().runId()));
      }
    }));
  }
}
