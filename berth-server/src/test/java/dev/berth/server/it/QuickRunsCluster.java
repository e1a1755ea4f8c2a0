package dev.berth.server.it;

import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.runtime.ObservationListener;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.testing.FakeClusterRuntime;
import dev.berth.core.time.Scheduler;
import dev.berth.runtime.kubernetes.KubernetesConnector;
import dev.berth.server.cluster.Clusters;
import dev.berth.server.cluster.JdbcClusterStore;
import dev.berth.server.support.crypto.SecretBox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

/**
 * Test-only beans for {@link BerthServer#withBeans}: the server's {@code local} cluster is core's
 * {@link FakeClusterRuntime} (in memory, no containers) whose every run exits 0 as soon as it has
 * started, so that thousands of runs cost almost nothing while everything above the runtime (the
 * task service, db-scheduler, the task store, the run controller, events) is the real server's.
 * Every {@link ClusterRuntime#startRun} is recorded in {@link #STARTS} with the name of the server
 * ({@code berth.test.server-name}) that made it.
 */
public class QuickRunsCluster {
  /** Run id to the servers that started it, in order; shared by every server in this JVM. */
  public static final Map<String, Queue<String>> STARTS = new ConcurrentHashMap<>();

  @Bean(destroyMethod = "close")
  public Clusters clusterRegistry(
      JdbcClusterStore store,
      SecretBox secrets,
      KubernetesConnector connector,
      Scheduler scheduler,
      @Value("${berth.test.server-name}") String server) {
    Clusters clusters =
        new Clusters(
            new Runtime(new FakeClusterRuntime(Clusters.LOCAL, scheduler), scheduler, server),
            store,
            secrets,
            connector,
            scheduler);
    clusters.load();
    return clusters;
  }

  /** The fake runtime, with every started run's single attempt exiting 0 right away. */
  record Runtime(FakeClusterRuntime fake, Scheduler time, String server) implements ClusterRuntime {
    @Override
    public void startRun(RunWorkload run) {
      STARTS.computeIfAbsent(run.runId(), k -> new ConcurrentLinkedQueue<>()).add(server);
      fake.startRun(run);
      time.schedule(Duration.ZERO, () -> fake.runExits(run.runId(), 0, false));
    }

    @Override
    public String cluster() {
      return fake.cluster();
    }

    @Override
    public void applyApp(AppWorkload desired) {
      fake.applyApp(desired);
    }

    @Override
    public void deleteApp(String app) {
      fake.deleteApp(app);
    }

    @Override
    public void deleteInstance(String app, int ordinal, boolean replace) {
      fake.deleteInstance(app, ordinal, replace);
    }

    @Override
    public void restartInstance(String app, int ordinal) {
      fake.restartInstance(app, ordinal);
    }

    @Override
    public List<Instance> instances(String app) {
      return fake.instances(app);
    }

    @Override
    public void observe(ObservationListener listener) {
      fake.observe(listener);
    }

    @Override
    public String resolveImage(String image) {
      return fake.resolveImage(image);
    }

    @Override
    public ExecResult exec(String instanceId, List<String> command, Duration timeout) {
      return fake.exec(instanceId, command, timeout);
    }

    @Override
    public LogStream logs(String instanceId, LogQuery query) {
      return fake.logs(instanceId, query);
    }

    @Override
    public void stopRun(String runId, Duration grace) {
      fake.stopRun(runId, grace);
    }

    @Override
    public void reclaimRun(String runId) {
      fake.reclaimRun(runId);
    }

    @Override
    public Optional<RunStatus> run(String runId) {
      return fake.run(runId);
    }

    @Override
    public List<RunStatus> runs() {
      return fake.runs();
    }

    @Override
    public List<NodeInfo> nodes() {
      return fake.nodes();
    }

    @Override
    public void close() {
      fake.close();
    }
  }
}
