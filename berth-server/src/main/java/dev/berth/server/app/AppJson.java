package dev.berth.server.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.core.app.App;
import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStatus;
import dev.berth.core.app.Health;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.PortSpec;
import dev.berth.core.app.QosClass;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Route;
import dev.berth.core.app.Scheduling;
import dev.berth.core.app.Security;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An application as the API reads and writes it: the spec's fields at the top level plus identity,
 * instance count, status and {@code version}. Read-only fields sent back in a PUT or PATCH are
 * ignored, so a client may GET, edit and PUT the same document; {@code version} then guards against
 * lost updates (a PUT needs it).
 */
public record AppJson(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            example = "web",
            description = "unique; lower-case letters, digits and '-'")
        String name,
    @Schema(example = "shop", description = "the team it belongs to; 'default' when left out")
        String team,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String owner,
    String cluster,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            example = "registry.example.com/shop/web:1")
        String image,
    @Schema(example = "[\"httpd\", \"-f\", \"-p\", \"8080\"]") List<String> command,
    List<String> args,
    Map<String, String> env,
    List<PortSpec> ports,
    Resources resources,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
        @Schema(
            description =
                "the effective QoS class: resources.qos when chosen, else the one that follows from the resources (guaranteed: cpu = cpuLimit > 0; best-effort: neither; burstable otherwise)",
            allowableValues = {"guaranteed", "burstable", "best-effort"})
        QosClass qos,
    @Schema(
            example = "2",
            description = "1 when left out on create; kept when left out on a change")
        Integer instances,
    Health health,
    Lifecycle lifecycle,
    Scheduling scheduling,
    Security security,
    @Schema(
            description =
                "how the gateway reaches the app: host name and/or path prefix to a named port; a host and path belong to one app")
        List<Route> routes,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Long revision,
    @Schema(
            description =
                "what a change is based on: a PUT needs the version it replaces (or If-Match); each change increments it")
        Long version,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) AppStatus status,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Instant createdAt,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Instant updatedAt,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "the app's current (or last) release, in GET /api/v1/apps/{app}")
        ReleaseSummary release) {

  /** The app's current or last release in brief; the whole one is under /releases/{id}. */
  public record ReleaseSummary(
      long id,
      String state,
      String reason,
      String message,
      long fromRevision,
      long toRevision,
      int batch,
      int batchCount) {
    static ReleaseSummary of(dev.berth.core.release.Release r) {
      return new ReleaseSummary(
          r.id(),
          r.state().toString(),
          r.reason(),
          r.message(),
          r.fromRevision(),
          r.toRevision(),
          r.batch(),
          r.batches().size());
    }
  }

  /** This document with the app's release summary. */
  AppJson withRelease(ReleaseSummary r) {
    return new AppJson(
        name,
        team,
        owner,
        cluster,
        image,
        command,
        args,
        env,
        ports,
        resources,
        qos,
        instances,
        health,
        lifecycle,
        scheduling,
        security,
        routes,
        revision,
        version,
        status,
        createdAt,
        updatedAt,
        r);
  }

  static AppJson of(App a) {
    AppSpec s = a.spec();
    return new AppJson(
        a.name(),
        a.team(),
        a.owner(),
        a.cluster(),
        s.image(),
        s.command(),
        s.args(),
        s.env(),
        s.ports(),
        s.resources(),
        s.resources() == null ? null : s.resources().qosClass(),
        a.instances(),
        s.health(),
        s.lifecycle(),
        s.scheduling(),
        s.security(),
        s.routes(),
        a.revision(),
        a.version(),
        a.deleting() ? deletingStatus(a.status()) : a.status(),
        a.createdAt(),
        a.updatedAt(),
        null);
  }

  /** The same document based on {@code v}. */
  AppJson withVersion(Long v) {
    return new AppJson(
        name,
        team,
        owner,
        cluster,
        image,
        command,
        args,
        env,
        ports,
        resources,
        qos,
        instances,
        health,
        lifecycle,
        scheduling,
        security,
        routes,
        revision,
        v,
        status,
        createdAt,
        updatedAt,
        release);
  }

  AppRequest toRequest() {
    AppSpec spec =
        new AppSpec(
            image,
            command,
            args,
            env,
            ports,
            resources,
            health,
            lifecycle,
            scheduling,
            security,
            routes);
    return new AppRequest(name, team, cluster, spec, instances, version);
  }

  private static AppStatus deletingStatus(AppStatus s) {
    return new AppStatus(
        dev.berth.core.app.AppPhase.DELETING,
        s.ready(),
        s.desired(),
        s.revision(),
        s.updateRevision(),
        s.partition(),
        "deleting");
  }
}
