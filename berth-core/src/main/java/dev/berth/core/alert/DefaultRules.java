package dev.berth.core.alert;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rules Berth ships: kernel resources running out on a node (conntrack, processes, image
 * storage), instances killed for memory, restarting in a loop or unready, nodes not ready, and
 * instances moved or evicted. Platform rules (no team): their alerts go to the team named in the
 * series' {@code team} label and to platform receivers.
 */
public final class DefaultRules {
  private DefaultRules() {}

  public static List<AlertRule> all() {
    return List.of(
        rule(
            "node-conntrack-high",
            Condition.value(
                KnownMetrics.NODE_CONNTRACK_ENTRIES,
                KnownMetrics.NODE_CONNTRACK_LIMIT,
                Condition.Op.GT,
                0.8),
            Duration.ofMinutes(5),
            Severity.WARNING,
            "Connection tracking table above 80 % of its limit"),
        rule(
            "node-pids-high",
            Condition.value(
                KnownMetrics.NODE_PIDS, KnownMetrics.NODE_PID_MAX, Condition.Op.GT, 0.8),
            Duration.ofMinutes(5),
            Severity.WARNING,
            "Processes and threads above 80 % of kernel.pid_max"),
        rule(
            "node-image-storage-high",
            Condition.value(
                KnownMetrics.NODE_IMAGE_STORE_USED,
                KnownMetrics.NODE_IMAGE_STORE_SIZE,
                Condition.Op.GT,
                0.85),
            Duration.ofMinutes(10),
            Severity.WARNING,
            "Image storage above 85 % full"),
        rule(
            "instance-oom-killed",
            Condition.increase(
                KnownMetrics.INSTANCE_OOM_KILLS, Duration.ofMinutes(10), Condition.Op.GT, 0),
            Duration.ZERO,
            Severity.WARNING,
            "An instance was killed for running out of memory"),
        rule(
            "instance-restart-loop",
            Condition.increase(
                KnownMetrics.INSTANCE_RESTARTS, Duration.ofMinutes(15), Condition.Op.GT, 3),
            Duration.ZERO,
            Severity.WARNING,
            "An instance restarted more than 3 times in 15 minutes"),
        rule(
            "instance-unready",
            Condition.value(KnownMetrics.INSTANCE_READY, null, Condition.Op.LT, 1),
            Duration.ofMinutes(5),
            Severity.WARNING,
            "An instance has not been ready for 5 minutes"),
        rule(
            "node-not-ready",
            Condition.value(KnownMetrics.NODE_READY, null, Condition.Op.LT, 1),
            Duration.ofMinutes(1),
            Severity.CRITICAL,
            "A node is not ready"),
        rule(
            "instance-moved-or-evicted",
            Condition.events(List.of("Evicted", "Moved", "Preempted"), Duration.ofMinutes(10)),
            Duration.ZERO,
            Severity.INFO,
            "An instance was moved to another node or evicted"),
        rule(
            "node-drain-stopped",
            Condition.events(List.of("DrainDeadline"), Duration.ofHours(1)),
            Duration.ZERO,
            Severity.WARNING,
            "A node drain stopped at its deadline with instances left on the node"));
  }

  private static AlertRule rule(
      String name, Condition c, Duration forDuration, Severity severity, String summary) {
    return new AlertRule(name, null, c, forDuration, severity, Map.of(), summary, true, true);
  }
}
