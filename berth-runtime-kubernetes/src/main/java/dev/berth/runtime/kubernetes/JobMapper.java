package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.task.RunState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads a Job and its pods as a Berth {@link RunStatus}. Pure. */
final class JobMapper {
  private JobMapper() {}

  static RunStatus status(Job job, List<Pod> pods) {
    String runId = job.getMetadata().getName();
    var s = job.getStatus();
    int active = s == null || s.getActive() == null ? 0 : s.getActive();
    int succeeded = s == null || s.getSucceeded() == null ? 0 : s.getSucceeded();
    int failed = s == null || s.getFailed() == null ? 0 : s.getFailed();
    Optional<JobCondition> complete = condition(job, "Complete");
    Optional<JobCondition> failure = condition(job, "Failed");
    Pod latest =
        pods.stream()
            .max(
                Comparator.comparing(
                    p ->
                        p.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : p.getMetadata().getCreationTimestamp()))
            .orElse(null);
    boolean cancelled = "true".equals(annotation(job, Labels.CANCELLED));
    RunState state;
    String message;
    if (complete.isPresent()) {
      state = RunState.SUCCEEDED;
      message = "completed";
    } else if (failure.isPresent()) {
      boolean deadline = "DeadlineExceeded".equals(failure.get().getReason());
      state = deadline ? RunState.TIMED_OUT : cancelled ? RunState.CANCELLED : RunState.FAILED;
      message =
          failure.get().getReason()
              + ": "
              + (failure.get().getMessage() == null ? "" : failure.get().getMessage());
    } else if (cancelled) {
      state = RunState.CANCELLED;
      message = "cancelled";
    } else if (latest != null
        && "Running".equals(latest.getStatus() == null ? null : latest.getStatus().getPhase())) {
      state = RunState.RUNNING;
      message = "running";
    } else {
      state = RunState.STARTING;
      message =
          latest == null
              ? "waiting for a pod"
              : PodMapper.message(latest, PodMapper.container(latest, Manifests.RUN_CONTAINER));
    }
    ExitInfo exit =
        latest == null
            ? null
            : PodMapper.lastExit(PodMapper.container(latest, Manifests.RUN_CONTAINER));
    String end =
        complete
            .map(JobCondition::getLastTransitionTime)
            .orElse(failure.map(JobCondition::getLastTransitionTime).orElse(null));
    if (s != null && s.getCompletionTime() != null) {
      end = s.getCompletionTime();
    }
    return new RunStatus(
        runId,
        state,
        Math.max(1, active + succeeded + failed),
        exit,
        latest == null || latest.getSpec() == null ? null : latest.getSpec().getNodeName(),
        latest == null || latest.getStatus() == null ? null : latest.getStatus().getHostIP(),
        false,
        s == null ? null : PodMapper.time(s.getStartTime()),
        state.isFinal() ? PodMapper.time(end) : null,
        message);
  }

  static boolean keepOnFailure(Job job) {
    return "true".equals(annotation(job, Labels.KEEP_ON_FAILURE));
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static String annotation(Job job, String key) {
    return job.getMetadata().getAnnotations() == null
        ? null
        : job.getMetadata().getAnnotations().get(key);
  }
}
