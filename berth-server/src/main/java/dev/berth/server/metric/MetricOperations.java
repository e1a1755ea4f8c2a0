package dev.berth.server.metric;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Permission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Who may read which metrics, then the read. Node metrics ({@code berth_node_*}, node-exporter's
 * {@code node_*}) are for everyone signed in, like the nodes themselves; an app's instance metrics
 * for whoever may read the app ({@code app.read} in its team), a task's run metrics for whoever may
 * read its runs ({@code run.read}); any other metric from a cluster's Prometheus only for admins
 * ({@code metrics.read-any}), as it may show any team's workloads. A query naming an app the caller
 * cannot read is 404, as for the app itself; a query over several apps answers only the readable
 * ones.
 */
public final class MetricOperations {
  private final Access access;
  private final MetricSource metrics;
  private final Function<String, java.util.Optional<String>> appTeam;

  public MetricOperations(
      Access access, MetricSource metrics, Function<String, java.util.Optional<String>> appTeam) {
    this.access = access;
    this.metrics = metrics;
    this.appTeam = appTeam;
  }

  public List<Sample> latest(MetricQuery q) {
    Predicate<Map<String, String>> visible = visible(q);
    try {
      return metrics.latest(q.metric(), q.match()).stream()
          .filter(s -> visible.test(s.labels()))
          .toList();
    } catch (IllegalArgumentException e) {
      throw dev.berth.core.support.ValidationException.of("metric", e.getMessage());
    }
  }

  public List<Series> range(MetricQuery q) {
    Predicate<Map<String, String>> visible = visible(q);
    try {
      return metrics.range(q.metric(), q.match(), q.from(), q.to(), q.step()).stream()
          .filter(s -> visible.test(s.labels()))
          .toList();
    } catch (IllegalArgumentException e) {
      throw dev.berth.core.support.ValidationException.of("metric", e.getMessage());
    }
  }

  /** Checks the caller may run the query; returns which answered series they may see. */
  private Predicate<Map<String, String>> visible(MetricQuery q) {
    String m = q.metric();
    if (m.startsWith("berth_node_") || m.startsWith("node_")) {
      access.require(Permission.CLUSTER_READ, null);
      return labels -> true;
    }
    Permission read;
    if (m.startsWith("berth_instance_")) {
      read = Permission.APP_READ;
      String app = q.match().get(MetricNames.APP);
      if (app != null) {
        String team = appTeam.apply(app).orElseThrow(() -> new NotFoundException("app", app));
        if (!access.caller().can(Permission.APP_READ, team)) {
          throw new NotFoundException("app", app);
        }
      }
    } else if (m.startsWith("berth_run_")) {
      read = Permission.RUN_READ;
    } else {
      access.require(Permission.METRICS_READ_ANY, null);
      return labels -> true;
    }
    Set<String> teams = access.readable(read);
    return labels -> teams == null || teams.contains(labels.get(MetricNames.TEAM));
  }
}
