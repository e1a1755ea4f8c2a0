package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.InstanceState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a pod as Berth sees it: an {@link Instance}, its last exit, its troubles. Pure. */
final class PodMapper {
  /** Waiting reasons that mean the container cannot start at all. */
  private static final Set<String> FAILED_WAITING =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  private PodMapper() {}

  static String app(Pod pod) {
    return label(pod, Labels.APP);
  }

  static String run(Pod pod) {
    return label(pod, Labels.RUN);
  }

  static Optional<Instance> instance(Pod pod) {
    return instance(pod, hash -> 0);
  }

  /**
   * The instance of {@code pod}; its revision is the pod's {@link Labels#REVISION} (set from the
   * template it was made from), else what {@code byHash} maps its {@code controller-revision-hash}
   * to (a pod Berth's template did not label), else 0.
   */
  static Optional<Instance> instance(Pod pod, java.util.function.ToLongFunction<String> byHash) {
    String app = app(pod);
    String name = pod.getMetadata().getName();
    Optional<Integer> ordinal = app == null ? Optional.empty() : InstanceIds.ordinal(app, name);
    if (ordinal.isEmpty()) {
      return Optional.empty();
    }
    ContainerStatus cs = container(pod, Manifests.APP_CONTAINER);
    String revision = label(pod, Labels.REVISION);
    return Optional.of(
        new Instance(
            name,
            app,
            ordinal.get(),
            pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
            pod.getStatus() == null ? null : pod.getStatus().getPodIP(),
            pod.getStatus() == null ? null : pod.getStatus().getHostIP(),
            revision != null
                ? Long.parseLong(revision)
                : label(pod, StatefulSetStatus.REVISION_HASH) == null
                    ? 0
                    : byHash.applyAsLong(label(pod, StatefulSetStatus.REVISION_HASH)),
            state(pod, cs),
            ready(pod),
            cs == null || cs.getRestartCount() == null ? 0 : cs.getRestartCount(),
            lastExit(cs),
            startedAt(pod, cs),
            Labels.TRAFFIC_ON.equals(label(pod, Labels.TRAFFIC)),
            message(pod, cs)));
  }

  static InstanceState state(Pod pod, ContainerStatus cs) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return InstanceState.STOPPING;
    }
    String phase =
        pod.getStatus() == null || pod.getStatus().getPhase() == null
            ? "Pending"
            : pod.getStatus().getPhase();
    if (cs != null && cs.getState() != null && cs.getState().getWaiting() != null) {
      String reason = cs.getState().getWaiting().getReason();
      if (FAILED_WAITING.contains(reason)) {
        return InstanceState.FAILED;
      }
      if ("CrashLoopBackOff".equals(reason)) {
        return InstanceState.BACKOFF;
      }
    }
    return switch (phase) {
      case "Running" ->
          cs != null && cs.getState() != null && cs.getState().getTerminated() != null
              ? InstanceState.EXITED
              : InstanceState.RUNNING;
      case "Succeeded" -> InstanceState.EXITED;
      case "Failed" ->
          "Evicted".equals(pod.getStatus().getReason())
              ? InstanceState.FAILED
              : InstanceState.EXITED;
      default -> InstanceState.PENDING;
    };
  }

  static boolean ready(Pod pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /**
   * The last termination of the container: the previous one while it runs again, else the current.
   */
  static ExitInfo lastExit(ContainerStatus cs) {
    if (cs == null) {
      return null;
    }
    ContainerStateTerminated t =
        cs.getState() != null && cs.getState().getTerminated() != null
            ? cs.getState().getTerminated()
            : cs.getLastState() == null ? null : cs.getLastState().getTerminated();
    if (t == null) {
      return null;
    }
    int code = t.getExitCode() == null ? 0 : t.getExitCode();
    return ExitInfo.of(code, "OOMKilled".equals(t.getReason()), time(t.getFinishedAt()));
  }

  static boolean oomKilled(ContainerStatus cs) {
    ExitInfo e = lastExit(cs);
    return e != null && e.reason() == dev.berth.core.runtime.ExitReason.OOM;
  }

  static String message(Pod pod, ContainerStatus cs) {
    if (pod.getStatus() != null && pod.getStatus().getReason() != null) {
      return pod.getStatus().getReason() + ": " + nz(pod.getStatus().getMessage());
    }
    Optional<PodCondition> scheduled =
        condition(pod, "PodScheduled").filter(c -> "False".equals(c.getStatus()));
    if (scheduled.isPresent()) {
      return "cannot be scheduled ("
          + nz(scheduled.get().getReason())
          + "): "
          + nz(scheduled.get().getMessage());
    }
    if (cs != null && cs.getState() != null && cs.getState().getWaiting() != null) {
      var w = cs.getState().getWaiting();
      return nz(w.getReason()) + (w.getMessage() == null ? "" : ": " + w.getMessage());
    }
    return "";
  }

  static ContainerStatus container(Pod pod, String name) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return null;
    }
    List<ContainerStatus> all = pod.getStatus().getContainerStatuses();
    return all.stream()
        .filter(c -> name.equals(c.getName()))
        .findFirst()
        .orElse(all.isEmpty() ? null : all.getFirst());
  }

  static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  static Instant startedAt(Pod pod, ContainerStatus cs) {
    if (cs != null && cs.getState() != null && cs.getState().getRunning() != null) {
      return time(cs.getState().getRunning().getStartedAt());
    }
    return pod.getStatus() == null ? null : time(pod.getStatus().getStartTime());
  }

  static Instant time(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static String label(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
    return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
