package dev.berth.server.metric;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Sample;
import dev.berth.core.runtime.ClusterRuntime;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection pass: asks every cluster's runtime for its {@link ClusterRuntime#usage() usage},
 * adds each sample's {@code team} (from its app or task) and writes them into the store. A cluster
 * that cannot be asked is logged once per failure streak and skipped; the others are collected. Run
 * every {@code berth.metrics.interval} on the scheduler.
 */
public final class MetricsCollector implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsCollector.class);

  private final Supplier<List<ClusterRuntime>> runtimes;
  private final Teams teams;
  private final EmbeddedMetricStore store;
  private final EventSink events;
  private final InstantSource clock;
  private final Map<String, String> failing = new HashMap<>();

  /** Where a sample's team comes from: its app's or its task's team. */
  public record Teams(
      Function<String, Optional<String>> ofApp, Function<String, Optional<String>> ofTask) {}

  public MetricsCollector(
      Supplier<List<ClusterRuntime>> runtimes,
      Teams teams,
      EmbeddedMetricStore store,
      EventSink events,
      InstantSource clock) {
    this.runtimes = runtimes;
    this.teams = teams;
    this.store = store;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public synchronized void run() {
    Map<String, Optional<String>> appTeams = new HashMap<>();
    Map<String, Optional<String>> taskTeams = new HashMap<>();
    for (ClusterRuntime runtime : runtimes.get()) {
      List<Sample> samples;
      try {
        samples = runtime.usage();
      } catch (RuntimeException e) {
        String cluster = runtime.cluster();
        if (failing.put(cluster, String.valueOf(e.getMessage())) == null) {
          LOG.warn(
              "cannot collect the metrics of cluster {}: {}; trying again every interval",
              cluster,
              e.getMessage());
          events.emit(
              Event.warning(
                  clock.instant(),
                  cluster,
                  "cluster",
                  cluster,
                  null,
                  "MetricsUnavailable",
                  "metrics cannot be collected: " + e.getMessage() + "; trying every interval"));
        }
        continue;
      }
      if (failing.remove(runtime.cluster()) != null) {
        LOG.info("collecting the metrics of cluster {} again", runtime.cluster());
        events.emit(
            Event.normal(
                clock.instant(),
                runtime.cluster(),
                "cluster",
                runtime.cluster(),
                null,
                "MetricsCollected",
                "metrics are collected again"));
      }
      List<Sample> labelled = new ArrayList<>(samples.size());
      for (Sample s : samples) {
        labelled.add(withTeam(s, appTeams, taskTeams));
      }
      store.write(labelled);
    }
  }

  private Sample withTeam(
      Sample s, Map<String, Optional<String>> appTeams, Map<String, Optional<String>> taskTeams) {
    String app = s.labels().get(MetricNames.APP);
    String task = s.labels().get(MetricNames.TASK);
    Optional<String> team = Optional.empty();
    if (app != null) {
      team = appTeams.computeIfAbsent(app, teams.ofApp());
    } else if (task != null) {
      team = taskTeams.computeIfAbsent(task, teams.ofTask());
    }
    if (team.isEmpty() || s.labels().containsKey(MetricNames.TEAM)) {
      return s;
    }
    Map<String, String> labels = new HashMap<>(s.labels());
    labels.put(MetricNames.TEAM, team.get());
    return new Sample(s.name(), labels, s.value(), s.at());
  }
}
