package dev.berth.server.inspection;

import static dev.berth.server.access.Permission.INSPECTION_READ;
import static dev.berth.server.access.Permission.INSPECTION_RUN;

import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.audit.AuditLog;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Inspections as the caller may see and start them. Both are admins' ({@code inspection.read},
 * {@code inspection.run}): a report names every team's apps, the platform's registries and
 * certificates. An inspection started by hand is audited ({@code inspection.run}).
 */
@Service
public class InspectionOperations {
  static final int MAX_LIMIT = 200;

  private final Inspector inspector;
  private final JdbcInspectionStore store;
  private final ClusterRegistry clusters;
  private final Access access;
  private final AuditLog audit;

  InspectionOperations(
      Inspector inspector,
      JdbcInspectionStore store,
      ClusterRegistry clusters,
      Access access,
      AuditLog audit) {
    this.inspector = inspector;
    this.store = store;
    this.clusters = clusters;
    this.access = access;
    this.audit = audit;
  }

  /** A page of a cluster's reports, newest first, and the cursor of the next page (or null). */
  public record ReportPage(List<Report> items, String next) {}

  public Report run(String cluster) {
    return audit.change(
        "inspection.run",
        "cluster",
        cluster,
        c -> {
          String actor = access.require(INSPECTION_RUN, null).name();
          requireCluster(cluster);
          Report r = inspector.inspect(cluster, "manual", actor);
          c.after(Map.of("id", r.id(), "failures", r.failures(), "warnings", r.warnings()));
          return r;
        });
  }

  public ReportPage list(String cluster, String cursor, int limit) {
    access.require(INSPECTION_READ, null);
    requireCluster(cluster);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ValidationException.of(
          "limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    long before = before(cursor);
    List<Report> rows = store.list(cluster, before, limit + 1);
    boolean more = rows.size() > limit;
    List<Report> items = more ? rows.subList(0, limit) : rows;
    return new ReportPage(items, more ? Long.toString(items.get(items.size() - 1).id()) : null);
  }

  public Report get(String cluster, long id) {
    access.require(INSPECTION_READ, null);
    return store
        .get(cluster, id)
        .orElseThrow(() -> new NotFoundException("inspection", cluster + "/" + id));
  }

  /** Whether the caller may start inspections (the portal shows the button only then). */
  public boolean canRun() {
    return access.caller().can(INSPECTION_RUN, null);
  }

  private void requireCluster(String cluster) {
    if (clusters.runtime(cluster).isEmpty()) {
      throw new NotFoundException("cluster", cluster);
    }
  }

  private static long before(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return Long.MAX_VALUE;
    }
    try {
      long v = Long.parseLong(cursor.strip());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ValidationException.of(
        "cursor", "must be the 'next' value of a previous answer, was '" + cursor + "'");
  }
}
