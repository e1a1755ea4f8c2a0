package dev.berth.server.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Environments in order ({@code test → staging → prod}), each an app on its own cluster and team; a
 * promotion moves the image digest of one environment's last succeeded release into the next.
 * {@code team} owns the pipeline itself (who may change or delete it).
 */
public record Pipeline(
    String name, String team, List<Environment> environments, String createdBy, Instant createdAt) {

  /**
   * One environment: its {@code name} in the pipeline, the {@code app} that is it, and whether a
   * release into it waits for an operator or owner of the app's team to approve.
   */
  public record Environment(String name, String app, boolean requiresApproval) {}

  public Pipeline {
    environments = List.copyOf(environments);
  }

  public Optional<Environment> environment(String env) {
    return environments.stream().filter(e -> e.name().equals(env)).findFirst();
  }

  /** The environment after {@code env}, if {@code env} is not the last. */
  public Optional<Environment> next(String env) {
    for (int i = 0; i < environments.size() - 1; i++) {
      if (environments.get(i).name().equals(env)) {
        return Optional.of(environments.get(i + 1));
      }
    }
    return Optional.empty();
  }

  /** The environment names in order, joined by arrows. */
  public String order() {
    return String.join(" → ", environments.stream().map(Environment::name).toList());
  }
}
