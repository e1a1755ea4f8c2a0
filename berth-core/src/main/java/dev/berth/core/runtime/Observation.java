package dev.berth.core.runtime;

import dev.berth.core.event.Event;

/**
 * A change a runtime reports: an instance changed or vanished, or something happened (an event).
 */
public sealed interface Observation {
  String cluster();

  /** The instance now looks like this. */
  record InstanceChanged(String cluster, Instance instance) implements Observation {}

  /** The instance no longer exists. */
  record InstanceRemoved(String cluster, String app, String instanceId) implements Observation {}

  /** A task run changed (started, attempt ended, ended, reclaimed). */
  record RunChanged(String cluster, RunStatus run) implements Observation {}

  /** Something worth an event: started, ready, unhealthy, restarted, OOM-killed, exited... */
  record Happened(String cluster, Event event) implements Observation {}
}
