package dev.berth.server.pipeline;

import dev.berth.core.app.App;
import dev.berth.core.release.Release;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline as the API and the portal show it: each environment with its app, team, cluster, the
 * image it runs now, that image's digest (when it could be had) and its last succeeded release.
 */
public record PipelineJson(
    String name,
    String team,
    String order,
    List<EnvironmentJson> environments,
    String createdBy,
    Instant createdAt) {

  /** One environment; the app's fields are null when the app is gone. */
  public record EnvironmentJson(
      String name,
      String app,
      boolean requiresApproval,
      String team,
      String cluster,
      String image,
      String digest,
      Long revision,
      Long lastSucceededRelease,
      Long lastSucceededRevision) {}

  /** What the view needs of one environment's app, looked up by the caller. */
  public record EnvironmentState(Optional<App> app, String digest, Optional<Release> succeeded) {}

  public static PipelineJson of(
      Pipeline p, java.util.function.Function<Pipeline.Environment, EnvironmentState> state) {
    List<EnvironmentJson> envs =
        p.environments().stream()
            .map(
                e -> {
                  EnvironmentState s = state.apply(e);
                  App a = s.app().orElse(null);
                  Release r = s.succeeded().orElse(null);
                  return new EnvironmentJson(
                      e.name(),
                      e.app(),
                      e.requiresApproval(),
                      a == null ? null : a.team(),
                      a == null ? null : a.cluster(),
                      a == null ? null : a.spec().image(),
                      s.digest(),
                      a == null ? null : a.revision(),
                      r == null ? null : r.id(),
                      r == null ? null : r.toRevision());
                })
            .toList();
    return new PipelineJson(p.name(), p.team(), p.order(), envs, p.createdBy(), p.createdAt());
  }
}
