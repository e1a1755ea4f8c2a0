package dev.berth.core.control;

/**
 * Brings one key (e.g. an application name) closer to its desired state. May throw; callers retry.
 */
@FunctionalInterface
public interface Reconciler {
  Result reconcile(String key);
}
