package dev.berth.runtime.local.metrics;

import static dev.berth.core.metrics.MetricNames.*;

import dev.berth.core.metrics.Sample;
import dev.berth.runtime.local.cgroup.Cgroups;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Turns a container's cgroup counters into the samples of an instance ({@code berth_instance_*}) or
 * a task run ({@code berth_run_*}). A counter this kernel lacks is left out. Pure.
 */
public final class WorkloadMetrics {
  private static final double MICROS = 1_000_000.0;

  private WorkloadMetrics() {}

  /** The names of one kind of workload's cgroup metrics. */
  private record Names(
      String cpu,
      String throttled,
      String workingSet,
      String memoryLimit,
      String pids,
      String pidsLimit,
      String oomKills) {}

  private static final Names INSTANCE =
      new Names(
          INSTANCE_CPU_SECONDS,
          INSTANCE_CPU_THROTTLED,
          INSTANCE_MEMORY_WORKING_SET,
          INSTANCE_MEMORY_LIMIT,
          INSTANCE_PIDS,
          INSTANCE_PIDS_LIMIT,
          INSTANCE_OOM_KILLS);

  private static final Names RUN =
      new Names(
          RUN_CPU_SECONDS,
          RUN_CPU_THROTTLED,
          RUN_MEMORY_WORKING_SET,
          RUN_MEMORY_LIMIT,
          RUN_PIDS,
          RUN_PIDS_LIMIT,
          RUN_OOM_KILLS);

  /**
   * An instance's samples.
   *
   * @param earlierOomKills OOM kills that ended earlier containers of the instance (the live cgroup
   *     counts only the current container's), so the counter never goes down at a restart
   */
  public static List<Sample> instance(
      Map<String, String> labels,
      Cgroups.Stats stats,
      long earlierOomKills,
      int restarts,
      Instant now) {
    OptionalLong live = stats.oomKills();
    OptionalLong oom =
        live.isPresent() || earlierOomKills > 0
            ? OptionalLong.of(earlierOomKills + live.orElse(0))
            : OptionalLong.empty();
    List<Sample> out = samples(INSTANCE, labels, stats, oom, now);
    out.add(new Sample(INSTANCE_RESTARTS, labels, restarts, now));
    return out;
  }

  /** An instance whose container is not running now: only its counters. */
  public static List<Sample> stoppedInstance(
      Map<String, String> labels, long earlierOomKills, int restarts, Instant now) {
    return List.of(
        new Sample(INSTANCE_OOM_KILLS, labels, earlierOomKills, now),
        new Sample(INSTANCE_RESTARTS, labels, restarts, now));
  }

  /** A running task run's samples. */
  public static List<Sample> run(Map<String, String> labels, Cgroups.Stats stats, Instant now) {
    return samples(RUN, labels, stats, stats.oomKills(), now);
  }

  private static List<Sample> samples(
      Names names, Map<String, String> labels, Cgroups.Stats stats, OptionalLong oom, Instant now) {
    List<Sample> out = new ArrayList<>();
    add(out, names.cpu(), labels, stats.cpuMicros(), MICROS, now);
    add(out, names.throttled(), labels, stats.throttledMicros(), MICROS, now);
    add(out, names.workingSet(), labels, stats.workingSetBytes(), 1, now);
    add(out, names.memoryLimit(), labels, stats.memoryLimitBytes(), 1, now);
    add(out, names.pids(), labels, stats.pids(), 1, now);
    add(out, names.pidsLimit(), labels, stats.pidsLimit(), 1, now);
    add(out, names.oomKills(), labels, oom, 1, now);
    return out;
  }

  private static void add(
      List<Sample> out,
      String name,
      Map<String, String> labels,
      OptionalLong value,
      double divisor,
      Instant now) {
    if (value.isPresent()) {
      out.add(new Sample(name, labels, value.getAsLong() / divisor, now));
    }
  }
}
