package dev.berth.server.image;

import dev.berth.oci.replication.JobRecorder;
import dev.berth.oci.replication.ReplicationOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Stores the engine's jobs ({@code replication_jobs}) and counts them on the Prometheus endpoint:
 * {@code berth_replication_jobs_total{result}} (succeeded, up-to-date, failed), {@code
 * berth_replication_bytes_total}, and the histograms {@code berth_replication_latency_seconds}
 * (push at the source to replicated, push-triggered jobs) and {@code
 * berth_replication_duration_seconds} (one job). Thread-safe.
 */
public class JobLog implements JobRecorder {
  private final JdbcImageStore store;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Timer latency;
  private final Timer duration;
  private final Counter bytes;

  public JobLog(JdbcImageStore store, Clock clock, MeterRegistry meters) {
    this.store = store;
    this.clock = clock;
    this.meters = meters;
    this.latency =
        Timer.builder("berth.replication.latency")
            .description("From a push at the source registry to the image complete in a target")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(meters);
    this.duration =
        Timer.builder("berth.replication.duration")
            .description("How long one replication job took, retries included")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofMinutes(30))
            .register(meters);
    this.bytes =
        Counter.builder("berth.replication.bytes")
            .description("Blob bytes copied between registries")
            .register(meters);
    for (ReplicationOutcome.Result r : ReplicationOutcome.Result.values()) {
      counter(r.label());
    }
  }

  @Override
  public String started(JobStart s) {
    String id = UUID.randomUUID().toString();
    store.startJob(
        new ReplicationJob(
            id,
            s.rule(),
            s.trigger().label(),
            s.source(),
            s.target(),
            s.repository(),
            s.tag(),
            "running",
            null,
            0,
            0,
            0,
            0,
            null,
            s.pushedAt(),
            s.startedAt(),
            null,
            null,
            null));
    return id;
  }

  @Override
  public void retrying(String jobId, int attempt, String reason) {
    store.retrying(jobId, attempt, "attempt " + attempt + " failed, retrying: " + reason);
  }

  @Override
  public void finished(String jobId, ReplicationOutcome o) {
    counter(o.result().label()).increment();
    duration.record(o.duration());
    if (o.latency() != null) {
      latency.record(o.latency());
    }
    var stats = o.stats();
    if (stats != null) {
      bytes.increment(stats.bytes());
    }
    store.finishJob(
        new ReplicationJob(
            jobId,
            null,
            null,
            null,
            null,
            null,
            null,
            o.result().label(),
            o.digest(),
            stats == null ? 0 : stats.bytes(),
            stats == null ? 0 : stats.blobsCopied() + stats.blobsMounted(),
            stats == null ? 0 : stats.blobsSkipped(),
            o.attempts(),
            o.reason(),
            null,
            null,
            clock.instant(),
            o.duration().toMillis(),
            o.latency() == null ? null : o.latency().toMillis()));
  }

  private Counter counter(String result) {
    return Counter.builder("berth.replication.jobs")
        .description("Replication jobs by result")
        .tag("result", result)
        .register(meters);
  }
}
