package dev.berth.core.runtime;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Resources;
import java.util.List;
import java.util.Optional;

/**
 * What every runtime's in-place resize refuses, the same locally and on Kubernetes (whose API
 * server refuses a resize that changes a pod's QoS class): only the resources may differ, a cpuset
 * instance keeps its number of dedicated CPUs, and the QoS class stays. Pure.
 */
public final class InPlaceRules {
  private InPlaceRules() {}

  /** Why instances running {@code specs} cannot take {@code next} in place, or empty. */
  public static Optional<String> refusal(List<AppSpec> specs, AppSpec next) {
    Resources to = next.resources();
    for (AppSpec s : specs) {
      Resources from = s.resources();
      if (!s.withResources(to).equals(next)) {
        return Optional.of("an instance runs a spec that differs in more than its resources");
      }
      if (from.cpuPolicy() != to.cpuPolicy()) {
        return Optional.of("the CPU policy changes; that needs a restart");
      }
      if (to.cpuPolicy() == CpuPolicy.CPUSET && from.dedicatedCpus() != to.dedicatedCpus()) {
        return Optional.of(
            "the number of dedicated CPUs (cpuset) changes from "
                + from.dedicatedCpus()
                + " to "
                + to.dedicatedCpus()
                + "; that needs a restart");
      }
      if (from.qosClass() != to.qosClass()) {
        return Optional.of(
            "the QoS class changes from "
                + from.qosClass()
                + " to "
                + to.qosClass()
                + " (fixed when an instance starts)");
      }
    }
    return Optional.empty();
  }
}
