package dev.berth.core.app;

import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * What should run for an application now: the {@link Rollout} plan over the instances observed,
 * given the spec of the revision they still run while a rollout is under way. The app controller
 * applies this workload and the manifests endpoint shows it, so both derive it here and nowhere
 * else.
 */
public final class DesiredState {
  private DesiredState() {}

  /**
   * The plan for {@code app}: a pure function of the app, a look-up of a revision's spec (asked at
   * most once, only for the revision the instances run when it is not the app's latest), the
   * instances observed and the time to judge long-unready instances by ({@code null}: not judged;
   * the workload does not depend on it).
   */
  public static Rollout.Plan plan(
      App app,
      LongFunction<Optional<AppSpec>> specOfRevision,
      List<Instance> observed,
      Instant now) {
    long running = app.status() == null ? 0 : app.status().revision();
    AppSpec runningSpec =
        running != 0 && running != app.revision()
            ? specOfRevision.apply(running).orElse(null)
            : null;
    return Rollout.plan(app, runningSpec, observed, now);
  }

  /**
   * {@link #read(App, AppStore, ClusterRuntime, Instant)}, except that an app an active release
   * holds shows the release's workload ({@link RolloutDriver#held}), as the controller applies it.
   * Writes nothing.
   */
  public static Rollout.Plan read(
      App app, AppStore apps, ClusterRuntime runtime, RolloutDriver releases, Instant now) {
    LongFunction<Optional<AppSpec>> specs =
        revision -> apps.revision(app.name(), revision).map(Revision::spec);
    return releases
        .held(app, specs)
        .map(
            w ->
                Rollout.driven(
                    app,
                    new RolloutDriver.Driven(w, w.currentRevision(), false),
                    runtime.instances(app.name()),
                    now))
        .orElseGet(() -> read(app, apps, runtime, now));
  }

  /**
   * {@link #plan} with the revision read from {@code apps} and the instances from {@code runtime}.
   */
  public static Rollout.Plan read(App app, AppStore apps, ClusterRuntime runtime, Instant now) {
    return plan(
        app,
        revision -> apps.revision(app.name(), revision).map(Revision::spec),
        runtime.instances(app.name()),
        now);
  }
}
