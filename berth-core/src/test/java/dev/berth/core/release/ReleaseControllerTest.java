package dev.berth.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.app.App;
import dev.berth.core.app.AppController;
import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.DesiredState;
import dev.berth.core.release.ReleaseStrategy.Batches;
import dev.berth.core.release.ReleaseStrategy.OnFailure;
import dev.berth.core.release.ReleaseStrategy.Promotion;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.testing.CoreHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Releases driven through the app controller, a fake runtime and manual time: batches, promotion,
 * pause, abort, failure, whitelist, percentages, rollback, supersede, drain, and a restart in the
 * middle.
 */
class ReleaseControllerTest {
  final CoreHarness core = new CoreHarness();

  static AppSpec spec(String image) {
    return new AppSpec(image, List.of("httpd", "-f"), null, null, null, null, null, null);
  }

  static ReleaseStrategy manual(int bastion, Batches batches) {
    return new ReleaseStrategy(bastion, batches, Promotion.MANUAL, null, null, 0, null, null);
  }

  void running(String name, int instances) {
    core.appService.create(
        new AppRequest(name, null, null, spec("registry.test/web:1"), instances, null), "alice");
    core.settle();
    core.local.allReady(name);
    core.settle();
  }

  List<Long> revisions(String app) {
    return core.local.instances(app).stream().map(Instance::revision).toList();
  }

  Release release(long id) {
    return core.releaseService.get("web", id);
  }

  /** Makes every instance ready until nothing moves any more. */
  void readyAll() {
    for (int i = 0; i < 10; i++) {
      core.local.allReady("web");
      core.settle();
    }
  }

  @Test
  void aBastionThenTwoBatchesWaitForPromotionAndSucceedAfterTwoPromotions() {
    running("web", 4);
    Release r =
        core.releaseService.start(
            "web",
            ReleaseRequest.ofImage("registry.test/web:2", manual(1, Batches.count(2))),
            "bob");
    core.settle();
    readyAll();
    assertThat(revisions("web")).containsExactly(1L, 1L, 1L, 2L);
    assertThat(release(r.id()).state()).isEqualTo(ReleaseState.PAUSED);
    assertThat(release(r.id()).reason()).isEqualTo("AwaitingPromotion");
    int writes = core.releases.writes;
    App app = core.appService.get("web");
    assertThat(
            DesiredState.read(app, core.apps, core.local, core.releaseController, null).workload())
        .as("views show the workload the release holds, and write nothing")
        .isEqualTo(core.local.lastApplied("web"));
    assertThat(core.releases.writes).isEqualTo(writes);
    core.advance(Duration.ofMinutes(30));
    assertThat(revisions("web"))
        .as("a manual release waits however long")
        .containsExactly(1L, 1L, 1L, 2L);

    core.releaseService.promote("web", r.id(), "carol");
    core.settle();
    readyAll();
    assertThat(revisions("web")).containsExactly(1L, 2L, 2L, 2L);
    assertThat(release(r.id()).batch()).isEqualTo(1);

    core.releaseService.promote("web", r.id(), "carol");
    core.settle();
    readyAll();
    assertThat(revisions("web")).containsExactly(2L, 2L, 2L, 2L);
    Release done = release(r.id());
    assertThat(done.state()).isEqualTo(ReleaseState.SUCCEEDED);
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.batches()).extracting(BatchProgress::target).containsExactly(1, 3, 4);
    assertThat(core.appService.get("web").status().revision()).isEqualTo(2);
    assertThat(core.events.reasons("release/web." + r.id()))
        .containsSubsequence(
            "ReleaseStarted",
            "ReleasePaused",
            "ReleasePromoted",
            "BatchStarted",
            "ReleasePaused",
            "ReleasePromoted",
            "ReleaseSucceeded");
    assertThatThrownBy(() -> core.releaseService.promote("web", r.id(), "carol"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("succeeded");
  }

  @Test
  void aCrashLoopingBastionStopsTheReleaseByItselfAndAbortBringsItBack() {
    running("web", 4);
    Release r =
        core.releaseService.start(
            "web",
            ReleaseRequest.ofImage("registry.test/web:bad", manual(1, Batches.count(2))),
            "bob");
    core.settle();
    assertThat(revisions("web")).containsExactly(1L, 1L, 1L, 2L);
    core.local.exit("web", 3, 1);
    core.settle();
    Release stopped = release(r.id());
    assertThat(stopped.state()).isEqualTo(ReleaseState.PAUSED);
    assertThat(stopped.reason()).isEqualTo("CrashLoopBackOff");
    assertThat(core.events.warnings()).contains("ReleaseStopped");
    core.advance(Duration.ofMinutes(20));
    assertThat(revisions("web")).as("never goes on").containsExactly(1L, 1L, 1L, 2L);

    core.releaseService.abort("web", r.id(), "carol");
    core.settle();
    assertThat(revisions("web")).containsExactly(1L, 1L, 1L, 1L);
    assertThat(release(r.id()).finishedAt()).as("returns, then settles").isNull();
    readyAll();
    Release aborted = release(r.id());
    assertThat(aborted.state()).isEqualTo(ReleaseState.ABORTED);
    assertThat(aborted.finishedAt()).isNotNull();
    assertThat(aborted.message()).contains("revision 1, the stable revision");
    App app = core.appService.get("web");
    assertThat(app.revision()).isEqualTo(1);
    assertThat(app.spec().image()).isEqualTo("registry.test/web:1");
    assertThat(app.status().revision()).isEqualTo(1);

    // the next change gets a fresh revision number, above the aborted one
    App next =
        core.appService.update(
            "web",
            new AppRequest(null, null, null, spec("registry.test/web:3"), null, null),
            "bob");
    assertThat(next.revision()).isEqualTo(3);
  }

  @Test
  void aBatchPastItsDeadlineFailsAndReturnsWhenTheStrategySaysFail() {
    running("web", 3);
    ReleaseStrategy s =
        new ReleaseStrategy(1, Batches.count(1), Promotion.AUTO, 0, 1, 60, OnFailure.FAIL, null);
    Release r =
        core.releaseService.start("web", ReleaseRequest.ofImage("registry.test/web:2", s), "bob");
    core.settle();
    core.advance(Duration.ofSeconds(30));
    assertThat(release(r.id()).state()).isEqualTo(ReleaseState.PROGRESSING);
    core.advance(Duration.ofSeconds(31));
    Release failed = release(r.id());
    assertThat(failed.state()).isEqualTo(ReleaseState.FAILED);
    assertThat(failed.reason()).isEqualTo("DeadlineExceeded");
    assertThat(failed.message()).contains("deadline of 60s", "web-2");
    readyAll();
    assertThat(revisions("web")).containsExactly(1L, 1L, 1L);
    assertThat(release(r.id()).finishedAt()).isNotNull();
    assertThat(core.events.warnings()).contains("ReleaseFailed");
  }

  @Test
  void aWhitelistGoesFirstAndAPercentageReleaseStopsAtThatPercentage() {
    running("web", 4);
    ReleaseStrategy s = manual(0, Batches.percentages(50, 50)).withFirst(List.of("web-0"));
    Release r =
        core.releaseService.start("web", ReleaseRequest.ofImage("registry.test/web:2", s), "bob");
    core.settle();
    readyAll();
    assertThat(revisions("web")).containsExactly(2L, 1L, 1L, 2L);
    assertThat(release(r.id()).awaitingPromotion()).isTrue();
    assertThat(core.local.lastApplied("web").updatedFirst()).containsExactly(0);
    assertThat(core.local.lastApplied("web").partition()).isEqualTo(3);
  }

  @Test
  void aRollbackIsANewRevisionWithTheOldSpecThroughTheBatchPlan() {
    running("web", 3);
    core.appService.update(
        "web", new AppRequest(null, null, null, spec("registry.test/web:2"), null, null), "bob");
    core.settle();
    readyAll();
    assertThat(revisions("web")).containsExactly(2L, 2L, 2L);

    Release back = core.releaseService.rollback("web", 1, manual(1, Batches.count(1)), "carol");
    assertThat(back.toRevision()).isEqualTo(3);
    assertThat(back.fromRevision()).isEqualTo(2);
    core.settle();
    readyAll();
    assertThat(revisions("web")).containsExactly(2L, 2L, 3L);
    assertThat(core.appService.get("web").spec().image()).isEqualTo("registry.test/web:1");
    core.releaseService.promote("web", back.id(), "carol");
    readyAll();
    assertThat(revisions("web")).containsExactly(3L, 3L, 3L);
    assertThat(release(back.id()).state()).isEqualTo(ReleaseState.SUCCEEDED);
  }

  @Test
  void aSecondReleaseSupersedesTheFirstAndTakesItsUpdatedInstancesFirst() {
    running("web", 4);
    Release first =
        core.releaseService.start(
            "web",
            ReleaseRequest.ofImage("registry.test/web:2", manual(1, Batches.count(1))),
            "bob");
    readyAll();
    assertThat(revisions("web")).containsExactly(1L, 1L, 1L, 2L);

    Release second =
        core.releaseService.start(
            "web",
            ReleaseRequest.ofImage("registry.test/web:3", manual(1, Batches.count(1))),
            "bob");
    assertThat(release(first.id()).state()).isEqualTo(ReleaseState.SUPERSEDED);
    assertThat(second.fromRevision()).as("the stable revision").isEqualTo(1);
    readyAll();
    assertThat(revisions("web"))
        .as("the bastion moved straight on; nothing went back to revision 1")
        .containsExactly(1L, 1L, 1L, 3L);
    assertThat(release(second.id()).awaitingPromotion()).isTrue();
  }

  @Test
  void everySpecChangeStartsAReleaseWithTheAppsDefaultStrategy() {
    running("web", 2);
    core.releaseService.setDefaultStrategy("web", manual(1, Batches.count(1)));
    core.appService.update(
        "web", new AppRequest(null, null, null, spec("registry.test/web:2"), null, null), "bob");
    core.settle();
    readyAll();
    Release r = core.releases.active("web").orElseThrow();
    assertThat(r.startedBy()).isEqualTo("bob");
    assertThat(r.awaitingPromotion()).isTrue();
    assertThat(revisions("web")).containsExactly(1L, 2L);
  }

  @Test
  void anInstanceIsReplacedOnlyAfterItsDrainAndTakesTrafficAgainOnceReady() {
    running("web", 2);
    core.traffic.hold("web-1");
    core.releaseService.start("web", ReleaseRequest.ofImage("registry.test/web:2", null), "bob");
    core.settle();
    core.advance(Duration.ofSeconds(10));
    assertThat(revisions("web")).as("requests still in flight").containsExactly(1L, 1L);
    core.traffic.release("web-1");
    core.advance(Duration.ofSeconds(3));
    assertThat(revisions("web")).containsExactly(1L, 2L);
    readyAll();
    assertThat(core.traffic.calls)
        .containsSubsequence("drain web-1", "restore web-1", "drain web-0", "restore web-0");
  }

  @Test
  void aRestartedControllerResumesTheSameBatchAndNeverRedoesAFinishedOne() {
    running("web", 4);
    Release r =
        core.releaseService.start(
            "web",
            ReleaseRequest.ofImage("registry.test/web:2", manual(1, Batches.count(1))),
            "bob");
    readyAll();
    core.releaseService.promote("web", r.id(), "carol");
    core.settle();
    int appliedBefore = core.local.applied().size();
    // a new controller on the same stores, as after a crash
    AppController again =
        new AppController(
            core.apps,
            core.clusters,
            core.events,
            core.time,
            new ReleaseController(
                core.releases, core.apps, core.traffic, core.events, new AppLocks()));
    again.reconcile("web");
    assertThat(core.local.applied().size()).isGreaterThan(appliedBefore);
    assertThat(release(r.id()).batch()).isEqualTo(1);
    assertThat(core.local.lastApplied("web").partition())
        .as("the bastion stays updated; batch 1 goes on from where it was")
        .isLessThanOrEqualTo(3);
    readyAll();
    assertThat(revisions("web")).containsExactly(2L, 2L, 2L, 2L);
    assertThat(release(r.id()).state()).isEqualTo(ReleaseState.SUCCEEDED);
    int writes = core.releases.writes;
    core.advance(Duration.ofMinutes(10));
    assertThat(core.releases.writes).as("a settled app writes nothing").isEqualTo(writes);
  }

  @Test
  void aRuntimeFailureDuringABatchIsAWarningAndARetryAndTheReleaseGoesOn() {
    running("web", 3);
    Release r =
        core.releaseService.start(
            "web", ReleaseRequest.ofImage("registry.test/web:2", null), "bob");
    core.local.failApplies(2);
    core.settle();
    assertThat(core.events.warnings()).contains("ReconcileFailed");
    assertThat(release(r.id()).state()).isEqualTo(ReleaseState.PROGRESSING);
    for (int i = 0; i < 10; i++) {
      core.advance(Duration.ofSeconds(30));
      core.local.allReady("web");
    }
    readyAll();
    assertThat(release(r.id()).state()).isEqualTo(ReleaseState.SUCCEEDED);
    assertThat(revisions("web")).containsExactly(2L, 2L, 2L);
  }

  @Test
  void allAtOnceReplacesEveryInstanceInOneBatch() {
    running("web", 4);
    core.appService.update(
        "web", new AppRequest(null, null, null, spec("registry.test/web:2"), null, null), "bob");
    readyAll();
    Release back = core.releaseService.rollback("web", 1, ReleaseStrategy.allAtOnce(4), "carol");
    core.settle();
    assertThat(revisions("web")).containsExactly(3L, 3L, 3L, 3L);
    readyAll();
    assertThat(release(back.id()).state()).isEqualTo(ReleaseState.SUCCEEDED);
    assertThat(release(back.id()).batches()).hasSize(1);
  }

  @Test
  void anAppThatNeverReachedItsFirstRevisionIsNotReleased() {
    core.appService.create(
        new AppRequest("web", null, null, spec("registry.test/web:1"), 2, null), "alice");
    core.settle();
    assertThatThrownBy(
            () ->
                core.releaseService.start(
                    "web", ReleaseRequest.ofImage("registry.test/web:2", null), "bob"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("first revision");
    assertThat(core.appService.get("web").revision()).isEqualTo(1);
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    running("web", 2);
    assertThatThrownBy(
            () ->
                core.releaseService.start(
                    "web", ReleaseRequest.ofImage("x:2", manual(3, Batches.count(1))), "bob"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("strategy.bastion");
    assertThatThrownBy(
            () ->
                core.releaseService.start(
                    "web",
                    ReleaseRequest.ofImage("x:2", manual(0, Batches.percentages(30, 30))),
                    "bob"))
        .hasMessageContaining("strategy.batches.percentages");
    assertThatThrownBy(
            () ->
                core.releaseService.start(
                    "web", ReleaseRequest.ofImage("x:2", manual(1, Batches.size(5))), "bob"))
        .hasMessageContaining("strategy.batches.size");
    assertThatThrownBy(
            () ->
                core.releaseService.start(
                    "web",
                    ReleaseRequest.ofImage(
                        "x:2", ReleaseStrategy.DEFAULT.withFirst(List.of("web-9"))),
                    "bob"))
        .hasMessageContaining("strategy.first")
        .hasMessageContaining("web-9");
    assertThatThrownBy(
            () -> core.releaseService.start("web", ReleaseRequest.ofRevision(7, null), "bob"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("revision");
    assertThat(core.releases.latest("web")).as("nothing half-started").isEmpty();
    assertThat(core.appService.get("web").revision()).isEqualTo(1);

    Release r =
        core.releaseService.start(
            "web", ReleaseRequest.ofImage("registry.test/web:2", null), "bob");
    assertThatThrownBy(() -> core.releaseService.promote("web", r.id(), "bob"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("not paused");
    assertThatThrownBy(() -> core.releaseService.resume("web", r.id(), "bob"))
        .isInstanceOf(ConflictException.class);
  }
}
