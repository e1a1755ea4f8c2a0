package dev.berth.core.release;

import dev.berth.core.app.AppValidator;
import dev.berth.core.app.Resources;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.Errors;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The pure checks of a live resize: what the new resources are and whether they fit. */
final class ResizeRules {
  private ResizeRules() {}

  /**
   * The app's resources with the request's fields applied, checked as a spec's resources are.
   *
   * @throws dev.berth.core.support.ValidationException naming each bad field ({@code
   *     resources.cpu}, {@code resources.cpuLimit}, {@code resources.memoryMiB})
   */
  static Resources resources(Resources current, ResizeRequest r) {
    Errors errors = new Errors();
    if (r.cpu() == null && r.cpuLimit() == null && r.memoryMiB() == null) {
      errors.add("resources", "give at least one of cpu, cpuLimit and memoryMiB to change");
    }
    errors.check(
        r.cpu() == null || r.cpu() >= 0,
        "resources.cpu",
        "must be >= 0 cores (0 guarantees nothing), was " + r.cpu());
    errors.check(
        r.cpuLimit() == null || r.cpuLimit() >= 0,
        "resources.cpuLimit",
        "must be >= 0 cores (0 for no limit), was " + r.cpuLimit());
    errors.check(
        r.memoryMiB() == null || r.memoryMiB() > 0,
        "resources.memoryMiB",
        "must be > 0 MiB (a hard limit; at least 4), was " + r.memoryMiB());
    errors.throwIfAny();
    Resources next =
        new Resources(
            r.cpu() == null ? current.cpu() : r.cpu(),
            r.cpuLimit() == null ? current.cpuLimit() : r.cpuLimit(),
            r.memoryMiB() == null ? current.memoryMiB() : r.memoryMiB(),
            current.cpuPolicy(),
            current.pids(),
            current.qos());
    AppValidator.validateResources(next, "resources", errors);
    errors.throwIfAny();
    return next;
  }

  /**
   * Whether every instance still fits its node with {@code next}: the guaranteed CPU and the memory
   * within the node's allocatable. An instance on a node the runtime does not list is not judged.
   */
  static Errors checkFits(Resources next, List<Instance> instances, List<NodeInfo> nodes) {
    Map<String, NodeInfo> byName =
        nodes.stream().collect(Collectors.toMap(NodeInfo::name, Function.identity(), (a, b) -> a));
    Errors errors = new Errors();
    for (Instance i : instances) {
      NodeInfo node = i.node() == null ? null : byName.get(i.node());
      if (node == null || node.allocatable() == null) {
        continue;
      }
      NodeInfo.Capacity a = node.allocatable();
      if (a.cpu() > 0 && next.cpu() > a.cpu()) {
        errors.add(
            "resources.cpu",
            "is above what node "
                + node.name()
                + " of instance "
                + i.id()
                + " can allocate ("
                + a.cpu()
                + " cores); ask for at most that");
        break;
      }
      if (a.memoryMiB() > 0 && next.memoryMiB() > a.memoryMiB()) {
        errors.add(
            "resources.memoryMiB",
            "is above what node "
                + node.name()
                + " of instance "
                + i.id()
                + " can allocate ("
                + a.memoryMiB()
                + " MiB); ask for at most that");
        break;
      }
    }
    return errors;
  }

  /**
   * The resources that differ, as a revision records a live resize: {@code cpu 0.1→0.5, cpuLimit
   * none→1, memory 64Mi→96Mi}.
   */
  static String describe(Resources before, Resources after) {
    List<String> parts = new java.util.ArrayList<>();
    if (before.cpu() != after.cpu()) {
      parts.add("cpu " + cores(before.cpu()) + "→" + cores(after.cpu()));
    }
    if (before.cpuLimit() != after.cpuLimit()) {
      parts.add("cpuLimit " + limit(before.cpuLimit()) + "→" + limit(after.cpuLimit()));
    }
    if (before.memoryMiB() != after.memoryMiB()) {
      parts.add("memory " + before.memoryMiB() + "Mi→" + after.memoryMiB() + "Mi");
    }
    return parts.isEmpty() ? "no change" : String.join(", ", parts);
  }

  private static String cores(double cpu) {
    return java.math.BigDecimal.valueOf(cpu).stripTrailingZeros().toPlainString();
  }

  private static String limit(double cpu) {
    return cpu > 0 ? cores(cpu) : "none";
  }
}
