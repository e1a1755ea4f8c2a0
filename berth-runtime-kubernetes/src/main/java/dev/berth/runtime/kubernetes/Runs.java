package dev.berth.runtime.kubernetes;

import dev.berth.core.event.Event;
import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.task.RunState;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Task runs as Jobs: started idempotently by name, observed through the Job informer, reclaimed
 * (Job and pods deleted, propagation Background) after the end unless a failed run is kept.
 */
final class Runs {
  private static final int REMEMBERED = 10_000;
  private final KubernetesRuntime runtime;
  private KubernetesClient client;
  private String namespace;
  private Retry retry;
  private Watchers watchers;
  private ExecutorService background;
  private final AtomicLong writes = new AtomicLong();

  /**
   * Runs whose Job is gone: their last status with {@code reclaimed = true}, the newest {@value
   * #REMEMBERED}.
   */
  private final Map<String, RunStatus> reclaimed =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RunStatus> eldest) {
              return size() > REMEMBERED;
            }
          });

  Runs(KubernetesRuntime runtime) {
    this.runtime = runtime;
  }

  void init(
      KubernetesClient client,
      String namespace,
      Retry retry,
      Watchers watchers,
      ExecutorService background) {
    this.client = client;
    this.namespace = namespace;
    this.retry = retry;
    this.watchers = watchers;
    this.background = background;
  }

  long writes() {
    return writes.get();
  }

  /** Creates the run's Job, its pod on the nodes of {@code pool} (null: anywhere). */
  void start(RunWorkload run, PoolDirectory.Definition pool) {
    if (cached(run.runId()) != null || reclaimed.containsKey(run.runId())) {
      return;
    }
    Job job = ApiServerRules.require(Manifests.forRun(run, namespace, pool), RuntimeFailure::new);
    retry.run(
        "create Job " + namespace + "/" + run.runId(),
        () -> {
          Job existing =
              client.batch().v1().jobs().inNamespace(namespace).withName(run.runId()).get();
          if (existing != null) {
            if (!Labels.managed(existing)) {
              throw new RuntimeFailure(
                  "Job "
                      + namespace
                      + "/"
                      + run.runId()
                      + " exists and was not created by Berth; Berth leaves it alone");
            }
            return;
          }
          writes.incrementAndGet();
          client.resource(job).create();
        });
  }

  void stop(String runId, Duration grace) {
    Job job = managedJob(runId);
    if (job == null) {
      return;
    }
    retry.run(
        "cancel Job " + namespace + "/" + runId,
        () -> {
          writes.incrementAndGet();
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(namespace)
              .withName(runId)
              .edit(
                  j ->
                      new JobBuilder(j)
                          .editMetadata()
                          .addToAnnotations(Labels.CANCELLED, "true")
                          .endMetadata()
                          .editSpec()
                          .withSuspend(true)
                          .endSpec()
                          .build());
          client
              .pods()
              .inNamespace(namespace)
              .withLabel(Labels.MANAGED_BY, Labels.BERTH)
              .withLabel(Labels.RUN, runId)
              .withGracePeriod(grace == null ? 30 : Math.max(0, grace.toSeconds()))
              .delete();
        });
  }

  void reclaim(String runId) {
    Job job = managedJob(runId);
    if (job == null) {
      return;
    }
    retry.run(
        "delete Job " + namespace + "/" + runId,
        () -> {
          writes.incrementAndGet();
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(namespace)
              .withName(runId)
              .withPropagationPolicy(DeletionPropagation.BACKGROUND)
              .delete();
          client
              .pods()
              .inNamespace(namespace)
              .withLabel(Labels.MANAGED_BY, Labels.BERTH)
              .withLabel(Labels.RUN, runId)
              .delete();
        });
    RunStatus last = JobMapper.status(job, watchers.runPods(runId));
    reclaimed.put(runId, withReclaimed(last));
  }

  /** The Job changed: tell, and reclaim an ended run unless it failed and is to be kept. */
  void changed(Job job) {
    RunStatus s = JobMapper.status(job, watchers.runPods(job.getMetadata().getName()));
    watchers.runChanged(s);
    boolean keep =
        JobMapper.keepOnFailure(job)
            && (s.state() == RunState.FAILED || s.state() == RunState.TIMED_OUT);
    if (s.state().isFinal() && !keep) {
      background.execute(
          () -> {
            try {
              reclaim(s.runId());
            } catch (RuntimeException e) {
              watchers.happened(
                  Event.warning(
                      runtime.clock().instant(),
                      runtime.cluster(),
                      "run",
                      s.runId(),
                      null,
                      "ReclaimFailed",
                      e.getMessage() + "; retried when the Job is next seen"));
            }
          });
    }
  }

  void removed(Job job) {
    RunStatus s =
        withReclaimed(JobMapper.status(job, watchers.runPods(job.getMetadata().getName())));
    reclaimed.put(s.runId(), s);
    watchers.runChanged(s);
  }

  Optional<RunStatus> status(String runId) {
    Job job = cached(runId);
    if (job != null) {
      return Optional.of(JobMapper.status(job, watchers.runPods(runId)));
    }
    return Optional.ofNullable(reclaimed.get(runId));
  }

  List<RunStatus> all() {
    List<RunStatus> out = new ArrayList<>();
    for (Job j : watchers.jobs.getStore().list()) {
      out.add(JobMapper.status(j, watchers.runPods(j.getMetadata().getName())));
    }
    synchronized (reclaimed) {
      reclaimed.values().stream().filter(r -> cached(r.runId()) == null).forEach(out::add);
    }
    out.sort(Comparator.comparing(RunStatus::runId));
    return out;
  }

  Optional<Pod> latestPod(String runId) {
    return watchers.runPods(runId).stream()
        .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
  }

  private Job cached(String runId) {
    return watchers.jobs.getStore().getByKey(namespace + "/" + runId);
  }

  private Job managedJob(String runId) {
    Job job = cached(runId);
    if (job == null) {
      job =
          retry.call(
              "read Job " + namespace + "/" + runId,
              () -> client.batch().v1().jobs().inNamespace(namespace).withName(runId).get());
    }
    return job != null && Labels.managed(job) ? job : null;
  }

  private static RunStatus withReclaimed(RunStatus s) {
    return new RunStatus(
        s.runId(),
        s.state(),
        s.attempts(),
        s.lastExit(),
        s.node(),
        s.hostIp(),
        true,
        s.startedAt(),
        s.endedAt(),
        s.message());
  }
}
