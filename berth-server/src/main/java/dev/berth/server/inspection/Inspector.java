package dev.berth.server.inspection;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.time.Scheduler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Runs one inspection of a cluster: gathers the facts, applies every check, stores the report and,
 * when anything failed, emits a Warning event {@code InspectionFailed} on the cluster naming the
 * failures. A report is stored only once it is complete.
 */
@Service
public class Inspector {
  private static final Logger LOG = LoggerFactory.getLogger(Inspector.class);

  private final FactGatherer gatherer;
  private final JdbcInspectionStore store;
  private final EventSink events;
  private final Scheduler clock;

  Inspector(FactGatherer gatherer, JdbcInspectionStore store, EventSink events, Scheduler clock) {
    this.gatherer = gatherer;
    this.store = store;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @param trigger {@code scheduled} or {@code manual}
   * @param requestedBy who asked ({@code system} for the schedule)
   */
  public Report inspect(String cluster, String trigger, String requestedBy) {
    Instant started = clock.instant();
    Facts facts = gatherer.gather(cluster);
    List<Finding> findings = Checks.all(facts);
    Map<Finding.Status, Long> counts = Checks.count(findings);
    Report report =
        store.add(
            new Report(
                0,
                cluster,
                trigger,
                requestedBy,
                started,
                clock.instant(),
                counts.get(Finding.Status.FAIL).intValue(),
                counts.get(Finding.Status.WARN).intValue(),
                findings));
    if (report.failures() > 0) {
      String failed =
          report.failed().stream()
              .limit(5)
              .map(f -> f.item() + ": " + f.message())
              .collect(Collectors.joining("; "));
      events.emit(
          Event.warning(
              report.finishedAt(),
              cluster,
              "cluster",
              cluster,
              null,
              "InspectionFailed",
              "inspection "
                  + report.id()
                  + " found "
                  + report.failures()
                  + " failure(s): "
                  + failed));
    }
    LOG.info(
        "inspection {} of cluster {}: {} failure(s), {} warning(s)",
        report.id(),
        cluster,
        report.failures(),
        report.warnings());
    return report;
  }
}
