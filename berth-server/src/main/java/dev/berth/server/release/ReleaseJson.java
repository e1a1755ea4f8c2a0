package dev.berth.server.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.release.BatchProgress;
import dev.berth.core.release.InstanceProgress;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseState;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.WorkloadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A release as the API shows it: its state and reason, the strategy, each batch with its target and
 * durations, and each instance of the app with the revision it runs, readiness, IP, node and its
 * phase in this release ({@code stable} when the release has not touched it) and since when.
 */
public record ReleaseJson(
    long id,
    String app,
    long fromRevision,
    long toRevision,
    ReleaseState state,
    String reason,
    String message,
    int batch,
    int batchCount,
    ReleaseStrategy strategy,
    List<Batch> batches,
    List<InstanceView> instances,
    String startedBy,
    Instant startedAt,
    Instant updatedAt,
    Instant finishedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) WorkloadStatus workload) {

  /** One batch: cumulative target, times, and seconds it took to become ready (null until then). */
  public record Batch(
      int index,
      int target,
      Instant startedAt,
      Instant readyAt,
      Instant finishedAt,
      Long readySeconds) {}

  /** One instance of the app as this release sees it. */
  public record InstanceView(
      String id,
      int ordinal,
      long revision,
      boolean ready,
      String ip,
      String node,
      String phase,
      Instant phaseSince) {}

  /** The release alone, without observed instances (lists). */
  public static ReleaseJson of(Release r) {
    return of(r, null);
  }

  /** The release with every instance of {@code observed} (null: leave instances out). */
  public static ReleaseJson of(Release r, List<Instance> observed) {
    return of(r, observed, null);
  }

  /**
   * The release with every instance of {@code observed} and, on a cluster with its own workload
   * controller, what that controller reports ({@code updatedReplicas}, current and update
   * revision).
   */
  public static ReleaseJson of(Release r, List<Instance> observed, WorkloadStatus workload) {
    List<Batch> batches =
        r.batches().stream()
            .map(
                b ->
                    new Batch(
                        b.index(),
                        b.target(),
                        b.startedAt(),
                        b.readyAt(),
                        b.finishedAt(),
                        seconds(b)))
            .toList();
    List<InstanceView> instances = null;
    if (observed != null) {
      Map<Integer, InstanceProgress> byOrdinal =
          r.instances().stream()
              .collect(
                  Collectors.toMap(InstanceProgress::ordinal, Function.identity(), (a, b) -> a));
      instances =
          observed.stream()
              .sorted(Comparator.comparingInt(Instance::ordinal))
              .map(
                  i ->
                      new InstanceView(
                          i.id(),
                          i.ordinal(),
                          i.revision(),
                          i.ready(),
                          i.ip(),
                          i.node(),
                          phase(r, byOrdinal.get(i.ordinal()), i),
                          byOrdinal.containsKey(i.ordinal())
                              ? byOrdinal.get(i.ordinal()).since()
                              : null))
              .toList();
    }
    return new ReleaseJson(
        r.id(),
        r.app(),
        r.fromRevision(),
        r.toRevision(),
        r.state(),
        r.reason(),
        r.message(),
        r.batch(),
        r.batches().size(),
        r.strategy(),
        batches,
        instances,
        r.startedBy(),
        r.startedAt(),
        r.updatedAt(),
        r.finishedAt(),
        workload);
  }

  private static String phase(Release r, InstanceProgress p, Instance i) {
    if (p != null) {
      return p.phase().toString();
    }
    return i.revision() == r.toRevision() && r.state() == ReleaseState.SUCCEEDED
        ? "updated"
        : "stable";
  }

  private static Long seconds(BatchProgress b) {
    return b.startedAt() == null || b.readyAt() == null
        ? null
        : Duration.between(b.startedAt(), b.readyAt()).toSeconds();
  }
}
