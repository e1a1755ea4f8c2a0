package dev.berth.server.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.core.app.App;
import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStatus;
import dev.berth.core.app.Health;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.PortSpec;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Scheduling;
import dev.berth.core.app.Security;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An application as the API reads and writes it: the spec's fields at the top level (as in DESIGN
 * §6) plus identity, instance count and status. Read-only fields sent back in a PUT are ignored, so a
 * client may GET, edit and PUT the same document; {@code version} then guards against lost updates.
 */
public record AppJson(
    String name,
    String team,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String owner,
    String cluster,
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    List<PortSpec> ports,
    Resources resources,
    Integer instances,
    Health health,
    Lifecycle lifecycle,
    Scheduling scheduling,
    Security security,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Long revision,
    Long version,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) AppStatus status,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Instant createdAt,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Instant updatedAt) {

  static AppJson of(App a) {
    AppSpec s = a.spec();
    return new AppJson(
        a.name(), a.team(), a.owner(), a.cluster(), s.image(), s.command(), s.args(), s.env(), s.ports(),
        s.resources(), a.instances(), s.health(), s.lifecycle(), s.scheduling(), s.security(), a.revision(), a.version(),
        a.deleting() ? deletingStatus(a.status()) : a.status(), a.createdAt(), a.updatedAt());
  }

  AppRequest toRequest() {
    AppSpec spec = new AppSpec(image, command, args, env, ports, resources, health, lifecycle, scheduling, security);
    return new AppRequest(name, team, cluster, spec, instances, version);
  }

  private static AppStatus deletingStatus(AppStatus s) {
    return new AppStatus(dev.berth.core.app.AppPhase.DELETING, s.ready(), s.desired(), s.revision(), s.updateRevision(), s.partition(), "deleting");
  }
}
