package dev.berth.server.inspection;

import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Inspections of a cluster: start one now, list the history, read one report. */
@RestController
@RequestMapping("/api/v1/clusters/{cluster}/inspections")
@Tag(name = "inspections", description = "Scheduled and on-demand health inspections of a cluster")
public class InspectionApi {
  private final InspectionOperations inspections;

  public InspectionApi(InspectionOperations inspections) {
    this.inspections = inspections;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary =
          "Inspect the cluster now (admins): nodes ready, runtime and registries reachable, disk, pids and conntrack headroom, clock skew, certificates near expiry, failing apps; answers the stored report")
  public ResponseEntity<Report> run(@PathVariable String cluster) {
    Report r = inspections.run(cluster);
    return ResponseEntity.created(
            URI.create("/api/v1/clusters/" + cluster + "/inspections/" + r.id()))
        .body(r);
  }

  @GetMapping
  @Operation(
      summary =
          "The cluster's inspections, newest first, without their findings (admins); pass next as cursor")
  public ListJson<Report> list(
      @PathVariable String cluster,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") int limit) {
    InspectionOperations.ReportPage page = inspections.list(cluster, cursor, limit);
    return new ListJson<>(page.items().stream().map(Report::summary).toList(), page.next(), null);
  }

  @GetMapping("/{id}")
  @Operation(summary = "One inspection report with every finding (admins)")
  public Report get(@PathVariable String cluster, @PathVariable long id) {
    return inspections.get(cluster, id);
  }
}
