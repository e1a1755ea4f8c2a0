package dev.berth.server.pipeline;

import static dev.berth.server.access.Permission.APP_RELEASE;
import static dev.berth.server.access.Permission.PIPELINE_APPROVE;
import static dev.berth.server.access.Permission.PIPELINE_PROMOTE;

import dev.berth.core.app.App;
import dev.berth.core.app.AppService;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseRequest;
import dev.berth.core.release.ReleaseService;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.core.support.TeamImagePolicy;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import java.time.Clock;
import org.springframework.stereotype.Service;

/**
 * Promotions along a pipeline: the exact image (pinned to its digest) of the last succeeded release
 * in one environment goes into the next environment's app as a release there, by that app's own
 * default strategy. Promoting takes {@code pipeline.promote} in the source's team, and {@code
 * app.release} in the target's team unless the target requires approval: then the promotion waits
 * until someone holding {@code pipeline.approve} in the target's team (its operators and owners)
 * approves or rejects it. Every step is audited and is an event of the target app.
 */
@Service
public class Promotions {
  private final PipelineOperations pipelines;
  private final JdbcPipelineStore store;
  private final AppService apps;
  private final ReleaseStore releaseStore;
  private final ReleaseService releases;
  private final PromotionSources sources;
  private final PromotionEvents events;
  private final TeamImagePolicy images;
  private final Access access;
  private final AuditLog audit;
  private final Clock clock;

  /** The collaborators on the app and release side, grouped so the constructor stays short. */
  public record Parts(
      AppService apps,
      ReleaseStore releaseStore,
      ReleaseService releases,
      PromotionSources sources,
      PromotionEvents events,
      TeamImagePolicy images) {}

  public Promotions(
      PipelineOperations pipelines,
      JdbcPipelineStore store,
      Parts parts,
      Access access,
      AuditLog audit,
      Clock clock) {
    this.pipelines = pipelines;
    this.store = store;
    this.apps = parts.apps();
    this.releaseStore = parts.releaseStore();
    this.releases = parts.releases();
    this.sources = parts.sources();
    this.events = parts.events();
    this.images = parts.images();
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  public Page<Promotion> list(String pipeline, int page, int size) {
    pipelines.get(pipeline);
    return store.promotions(pipeline, page, size);
  }

  public Promotion get(String pipeline, long id) {
    pipelines.get(pipeline);
    return store
        .promotion(pipeline, id)
        .orElseThrow(() -> new NotFoundException("promotion", pipeline + "." + id));
  }

  /** Promotes from environment {@code from} into the next one. */
  public Promotion promote(String pipeline, String from) {
    Pipeline p = pipelines.get(pipeline);
    Pipeline.Environment source = environment(p, from);
    Pipeline.Environment target =
        p.next(from)
            .orElseThrow(
                () ->
                    ValidationException.of(
                        "from",
                        "'"
                            + from
                            + "' is the last environment of "
                            + p.order()
                            + "; promote from an earlier one"));
    App sourceApp = existing(source, "from");
    App targetApp = existing(target, "from");
    return audit.change(
        "pipeline.promote",
        "pipeline",
        pipeline,
        c -> {
          c.team(targetApp.team());
          Caller caller = access.require(PIPELINE_PROMOTE, sourceApp.team());
          if (!target.requiresApproval()) {
            access.require(APP_RELEASE, targetApp.team());
          }
          PromotionSources.Source what = sources.of(sourceApp, from);
          String pinned = what.image();
          images.require(pinned, targetApp.spec().image(), targetApp.team(), "from");
          Promotion asked =
              new Promotion(
                  0,
                  pipeline,
                  source.name(),
                  sourceApp.name(),
                  what.release().id(),
                  target.name(),
                  targetApp.name(),
                  pinned,
                  DigestPinning.digestOf(pinned),
                  target.requiresApproval()
                      ? PromotionState.AWAITING_APPROVAL
                      : PromotionState.APPROVED,
                  caller.name(),
                  clock.instant(),
                  null,
                  null,
                  0,
                  target.requiresApproval()
                      ? "awaiting approval by an operator or owner of team " + targetApp.team()
                      : "approval not required",
                  0);
          Promotion result;
          if (target.requiresApproval()) {
            result = store.create(asked);
            events.normal(targetApp.cluster(), result, "PromotionAwaitingApproval");
          } else {
            Release started = start(asked, caller.name());
            result = store.create(asked.released(started.id(), releasedMessage(started)));
            events.normal(targetApp.cluster(), result, "PromotionReleased");
          }
          c.after(result).detail(PromotionEvents.describe(result));
          return result;
        });
  }

  /** Approves a promotion awaiting approval and starts its release. */
  public Promotion approve(String pipeline, long id) {
    return decide(pipeline, id, "pipeline.approve", true);
  }

  /** Rejects a promotion awaiting approval; nothing is released. */
  public Promotion reject(String pipeline, long id) {
    return decide(pipeline, id, "pipeline.reject", false);
  }

  /**
   * Whether the caller may approve or reject promotions into {@code env} (for showing controls).
   */
  public boolean canApprove(Pipeline.Environment env) {
    return pipelines
        .app(env)
        .map(a -> access.caller().can(PIPELINE_APPROVE, a.team()))
        .orElse(false);
  }

  /** Whether the caller may promote out of {@code env} (for showing controls). */
  public boolean canPromote(Pipeline.Environment env) {
    return pipelines
        .app(env)
        .map(a -> access.caller().can(PIPELINE_PROMOTE, a.team()))
        .orElse(false);
  }

  /**
   * Starts the releases of promotions approved while Berth stopped before their release began; a
   * target already on the promoted image counts as released.
   */
  public void resumeApproved() {
    for (Promotion p : store.approved()) {
      try {
        App target = apps.get(p.toApp());
        Promotion done;
        if (target.spec().image().equals(p.image())) {
          Release latest = releaseStore.latest(p.toApp()).orElse(null);
          done =
              store.update(
                  p.released(latest == null ? 0 : latest.id(), "released before a restart"));
        } else {
          Release started = start(p, p.decidedBy() == null ? p.requestedBy() : p.decidedBy());
          done =
              store.update(
                  p.released(started.id(), "after a restart: " + releasedMessage(started)));
        }
        events.normal(target.cluster(), done, "PromotionReleased");
      } catch (RuntimeException e) {
        events.warning(
            pipelines
                .app(new Pipeline.Environment(p.to(), p.toApp(), false))
                .map(App::cluster)
                .orElse(null),
            p,
            "PromotionNotReleased",
            "cannot start the release: " + e.getMessage());
      }
    }
  }

  private Promotion decide(String pipeline, long id, String action, boolean approve) {
    Promotion current = get(pipeline, id);
    App targetApp = apps.get(current.toApp());
    return audit.change(
        action,
        "pipeline",
        pipeline,
        c -> {
          c.team(targetApp.team()).before(current);
          Caller caller = access.require(PIPELINE_APPROVE, targetApp.team());
          if (current.state() != PromotionState.AWAITING_APPROVAL) {
            throw new ConflictException(
                "promotion "
                    + id
                    + " is "
                    + current.state()
                    + "; only one awaiting approval can be "
                    + (approve ? "approved" : "rejected"));
          }
          String by = (approve ? "approved by " : "rejected by ") + caller.name();
          Promotion decided =
              store.update(
                  current.decided(
                      approve ? PromotionState.APPROVED : PromotionState.REJECTED,
                      caller.name(),
                      clock.instant(),
                      by));
          Promotion result = decided;
          if (approve) {
            Release started;
            try {
              started = start(decided, caller.name());
            } catch (RuntimeException e) {
              store.update(
                  decided.decided(
                      PromotionState.AWAITING_APPROVAL,
                      null,
                      null,
                      "approval by " + caller.name() + " failed: " + e.getMessage()));
              throw e;
            }
            result =
                store.update(decided.released(started.id(), by + "; " + releasedMessage(started)));
            events.normal(targetApp.cluster(), result, "PromotionReleased");
          } else {
            events.normal(targetApp.cluster(), result, "PromotionRejected");
          }
          c.after(result).detail(PromotionEvents.describe(result));
          return result;
        });
  }

  private Release start(Promotion p, String actor) {
    return releases.start(p.toApp(), ReleaseRequest.ofImage(p.image(), null), actor);
  }

  private static String releasedMessage(Release r) {
    return "release " + r.id() + " of revision " + r.toRevision() + " started";
  }

  private Pipeline.Environment environment(Pipeline p, String env) {
    if (env == null || env.isBlank()) {
      throw ValidationException.of(
          "from", "is required: the environment to promote from, one of " + p.order());
    }
    return p.environment(env)
        .orElseThrow(
            () ->
                ValidationException.of(
                    "from", "unknown environment '" + env + "'; this pipeline has " + p.order()));
  }

  private App existing(Pipeline.Environment env, String field) {
    try {
      return apps.get(env.app());
    } catch (NotFoundException e) {
      throw ValidationException.of(
          field,
          "environment '" + env.name() + "' names app '" + env.app() + "', which no longer exists");
    }
  }
}
