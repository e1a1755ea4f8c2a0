package dev.berth.core.runtime;

/**
 * Receives a runtime's observations. Called from the runtime's own threads, possibly concurrently;
 * must return quickly and must not throw (a runtime logs and ignores what a listener throws).
 */
@FunctionalInterface
public interface ObservationListener {
  void on(Observation observation);
}
