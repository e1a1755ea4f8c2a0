package dev.berth.core.app;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * What moves an application to a new revision when something other than the one-at-a-time {@link
 * Rollout} does: a release ({@code dev.berth.core.release.ReleaseController}). The app controller
 * asks it first on every pass; an empty answer leaves the app to {@link Rollout#plan}.
 *
 * <p>Called from the app controller's work queue, one pass per app at a time; implementations may
 * write their own state (before the controller applies the workload) and must be safe to call again
 * at any point.
 */
public interface RolloutDriver {
  /**
   * The workload to apply for {@code app} now when a release drives it.
   *
   * @param stableRevision the revision every instance runs when nothing is being replaced (the
   *     app's status reports it as {@code revision})
   * @param settled nothing will move without a control or an observation
   */
  record Driven(AppWorkload workload, long stableRevision, boolean settled) {}

  Optional<Driven> drive(
      App app,
      List<Instance> observed,
      LongFunction<Optional<AppSpec>> specOfRevision,
      Instant now);

  /**
   * The workload an active release holds the app at right now, read only (no planning, no writes):
   * for views such as the manifests endpoint. Empty when no release drives the app.
   */
  default Optional<AppWorkload> held(App app, LongFunction<Optional<AppSpec>> specOfRevision) {
    return Optional.empty();
  }

  /**
   * Runs {@code pass} while no control of {@code app} (a release control, a live resize) runs: the
   * app controller's whole pass goes through here, so it never applies a workload read before such
   * a change. Reentrant. Default: no lock.
   */
  default <T> T exclusive(String app, java.util.function.Supplier<T> pass) {
    return pass.get();
  }

  /** The app is gone for good: forget what was kept for it. */
  void deleted(String app);

  /** No releases: every app rolls out one instance at a time. */
  RolloutDriver NONE =
      new RolloutDriver() {
        @Override
        public Optional<Driven> drive(
            App app,
            List<Instance> observed,
            LongFunction<Optional<AppSpec>> specOfRevision,
            Instant now) {
          return Optional.empty();
        }

        @Override
        public void deleted(String app) {}
      };
}
