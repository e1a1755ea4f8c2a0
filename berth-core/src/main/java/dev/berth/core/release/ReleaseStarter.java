package dev.berth.core.release;

import dev.berth.core.app.App;
import dev.berth.core.runtime.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a release for an app's current revision, superseding the active one if there is one: the
 * new release keeps the stable revision of the one it replaces as its from-revision, and the
 * instances that one had moved go first in the new one (drained again, then straight to the newest
 * revision), so nothing is left half way. Call it under the app's {@link AppLocks lock}.
 */
final class ReleaseStarter {
  private final ReleaseStore releases;
  private final ReleaseEvents events;

  ReleaseStarter(ReleaseStore releases, ReleaseEvents events) {
    this.releases = releases;
    this.events = events;
  }

  Release start(
      App app,
      ReleaseStrategy strategy,
      List<Instance> observed,
      String startedBy,
      String note,
      Instant now) {
    Optional<Release> active = releases.active(app.name());
    long from =
        active
            .map(Release::fromRevision)
            .orElse(app.status() == null ? app.revision() : app.status().revision());
    List<InstanceProgress> carried = new ArrayList<>();
    List<Integer> first = new ArrayList<>();
    active.ifPresent(
        r ->
            r.instances().stream()
                .filter(p -> p.phase().onNewRevision())
                .forEach(
                    p -> {
                      carried.add(p.to(InstancePhase.DRAINING, now));
                      first.add(p.ordinal());
                    }));
    ReleaseOrder.resolve(strategy.first(), observed).stream()
        .filter(o -> !first.contains(o))
        .forEach(first::add);
    Release fresh =
        Release.start(
            app.name(),
            from,
            app.revision(),
            strategy,
            app.instances(),
            first,
            carried,
            startedBy,
            now);
    Release superseded =
        active
            .map(
                r ->
                    r.withState(
                        ReleaseState.SUPERSEDED,
                        "Superseded",
                        "superseded by a release of revision " + app.revision(),
                        now))
            .orElse(null);
    Release created = releases.create(fresh, superseded);
    if (superseded != null) {
      events.normal(
          app.cluster(),
          superseded,
          "ReleaseSuperseded",
          "superseded by release " + created.id() + " of revision " + app.revision(),
          now);
    }
    events.normal(
        app.cluster(),
        created,
        "ReleaseStarted",
        "revision "
            + created.toRevision()
            + " over revision "
            + created.fromRevision()
            + " by "
            + startedBy
            + (note == null ? "" : " (" + note + ")")
            + ": "
            + describe(created),
        now);
    return created;
  }

  static String describe(Release r) {
    ReleaseStrategy s = r.strategy();
    List<Integer> targets = r.batches().stream().map(BatchProgress::target).toList();
    return "batches up to "
        + targets
        + " instance(s)"
        + (s.bastion() > 0 ? " after a bastion of " + s.bastion() : "")
        + ", "
        + s.promotion()
        + " promotion"
        + (s.soakSeconds() > 0 ? " after " + s.soakSeconds() + "s soak" : "");
  }
}
