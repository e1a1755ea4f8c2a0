package dev.berth.core.traffic;

/** Whether an instance takes traffic, and if not, why. */
public enum EndpointState {
  /** Ready and online: in discovery, DNS and the gateway. */
  READY,
  /** Taken out of traffic by hand; keeps running. */
  OFFLINE,
  /** Taken out of traffic before a stop (a release or a drain); in-flight requests still finish. */
  DRAINING,
  /** Online but failing readiness (or not started yet). */
  UNREADY
}
