package dev.berth.oci.replication;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Job records kept in memory, for tests. */
final class RecordingJobs implements JobRecorder {
  record Job(JobStart start, List<String> retries, ReplicationOutcome[] outcome) {}

  final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  @Override
  public String started(JobStart start) {
    String id = "job-" + ids.incrementAndGet();
    jobs.put(id, new Job(start, new CopyOnWriteArrayList<>(), new ReplicationOutcome[1]));
    return id;
  }

  @Override
  public void retrying(String jobId, int attempt, String reason) {
    jobs.get(jobId).retries().add(attempt + ": " + reason);
  }

  @Override
  public void finished(String jobId, ReplicationOutcome outcome) {
    jobs.get(jobId).outcome()[0] = outcome;
  }

  Job only() {
    if (jobs.size() != 1) {
      throw new AssertionError("expected one job, were " + jobs.values());
    }
    return jobs.values().iterator().next();
  }
}
