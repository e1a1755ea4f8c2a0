package dev.berth.server.app;

import dev.berth.core.app.App;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.DesiredState;
import dev.berth.core.app.RolloutDriver;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.runtime.ClusterRuntime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The Kubernetes objects Berth applies for an app, as YAML, for review and GitOps. */
@RestController
@Tag(name = "apps")
public class AppManifestsApi {
  public static final String YAML = "application/yaml";
  private final AppOperations apps;
  private final AppStore store;
  private final ClusterRegistry clusters;
  private final RolloutDriver releases;

  public AppManifestsApi(
      AppOperations apps, AppStore store, ClusterRegistry clusters, RolloutDriver releases) {
    this.apps = apps;
    this.store = store;
    this.clusters = clusters;
    this.releases = releases;
  }

  @GetMapping(
      value = "/api/v1/apps/{app}/manifests",
      produces = {YAML, "application/problem+json"})
  @Operation(
      summary = "Exactly the objects Berth applies for the app, as YAML (Kubernetes clusters only)")
  public ResponseEntity<String> manifests(@PathVariable String app) {
    App a = apps.get(app);
    ClusterRuntime runtime = clusters.require(a.cluster());
    // The same workload the controller applies (time only judges the status, not the workload);
    // during a release, the one the release holds.
    var plan = DesiredState.read(a, store, runtime, releases, null);
    try {
      return ResponseEntity.ok()
          .header("Content-Type", YAML)
          .body(runtime.manifests(plan.workload()));
    } catch (UnsupportedOperationException e) {
      throw new org.springframework.web.server.ResponseStatusException(
          HttpStatus.NOT_FOUND,
          "app "
              + app
              + " runs on cluster "
              + a.cluster()
              + ", which applies no Kubernetes manifests");
    }
  }
}
