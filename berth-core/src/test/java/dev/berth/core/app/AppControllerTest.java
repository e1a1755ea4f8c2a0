package dev.berth.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.testing.CoreHarness;
import dev.berth.core.testing.FakeClusterRuntime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The app controller driven through the app service, a fake runtime and manual time: no root, no
 * waiting.
 */
class AppControllerTest {
  final CoreHarness core = new CoreHarness();

  static AppSpec spec(String image) {
    return new AppSpec(image, List.of("httpd", "-f"), null, null, null, null, null, null);
  }

  App create(String name, int instances) {
    App app =
        core.appService.create(
            new AppRequest(name, null, null, spec("registry.test/web:1"), instances, null),
            "alice");
    core.settle();
    return app;
  }

  App running(String name, int instances) {
    create(name, instances);
    core.local.allReady(name);
    core.settle();
    return core.appService.get(name);
  }

  List<Long> revisions(String app) {
    return core.local.instances(app).stream().map(Instance::revision).toList();
  }

  List<Integer> ordinals(String app) {
    return core.local.instances(app).stream().map(Instance::ordinal).toList();
  }

  @Test
  void startsEveryInstanceAndReportsRunningOnceAllAreReady() {
    create("web", 3);
    assertThat(ordinals("web")).containsExactly(0, 1, 2);
    assertThat(core.appService.get("web").status().phase()).isEqualTo(AppPhase.PENDING);

    core.local.ready("web", 0);
    core.local.ready("web", 1);
    core.settle();
    assertThat(core.appService.get("web").status().message()).isEqualTo("2 of 3 instances ready");

    core.local.ready("web", 2);
    core.settle();
    App app = core.appService.get("web");
    assertThat(app.status().phase()).isEqualTo(AppPhase.RUNNING);
    assertThat(app.status().revision()).isEqualTo(1);
  }

  @Test
  void newRevisionReplacesOneInstanceAtATimeFromTheHighestOrdinal() {
    running("web", 3);
    core.appService.update(
        "web", new AppRequest(null, null, null, spec("registry.test/web:2"), null, null), "bob");
    core.settle();
    assertThat(revisions("web")).containsExactly(1L, 1L, 2L);
    assertThat(core.events.reasons("app/web")).contains("Updated", "ReleaseStarted");

    core.settle();
    assertThat(revisions("web"))
        .as("the next instance waits for the new one to be ready")
        .containsExactly(1L, 1L, 2L);

    core.local.ready("web", 2);
    core.settle();
    assertThat(revisions("web")).containsExactly(1L, 2L, 2L);
    core.local.ready("web", 1);
    core.settle();
    assertThat(revisions("web")).containsExactly(2L, 2L, 2L);
    assertThat(core.appService.get("web").status().phase()).isEqualTo(AppPhase.PROGRESSING);

    core.local.ready("web", 0);
    core.settle();
    App app = core.appService.get("web");
    assertThat(app.status().revision()).isEqualTo(2);
    assertThat(app.status().phase()).isEqualTo(AppPhase.RUNNING);
    assertThat(core.events.reasons("app/web"))
        .containsSubsequence("ReleaseStarted", "ReleaseSucceeded");
  }

  @Test
  void anInstanceThatExitsIsRestartedAfterItsBackOffAndTheAppIsDegradedMeanwhile() {
    running("web", 2);
    core.local.exit("web", 1, 3);
    core.settle();
    App app = core.appService.get("web");
    assertThat(app.status().phase()).isEqualTo(AppPhase.DEGRADED);
    assertThat(app.status().reason()).isEqualTo("CrashLoopBackOff");
    assertThat(app.status().message()).startsWith("web-1 exited with code 3");

    core.advance(FakeClusterRuntime.RESTART_BACKOFF);
    Instance again = core.local.instances("web").get(1);
    assertThat(again.state()).isEqualTo(InstanceState.RUNNING);
    assertThat(again.restarts()).isEqualTo(1);

    core.local.ready("web", 1);
    core.settle();
    // a restarted instance counts as recovered only after a while up
    core.advance(Diagnosis.STABLE_AFTER.plusSeconds(2));
    core.settle();
    assertThat(core.appService.get("web").status().phase()).isEqualTo(AppPhase.RUNNING);
    assertThat(core.events.warnings()).contains("Degraded");
  }

  @Test
  void anOomKillIsAWarningWithItsReasonAndTheInstanceComesBack() {
    running("web", 1);
    core.local.oomKill("web", 0);
    core.settle();
    assertThat(core.events.warnings()).contains("OOMKilled");
    assertThat(core.local.instances("web").getFirst().lastExit().reason())
        .isEqualTo(ExitReason.OOM);
    assertThat(core.appService.get("web").status().phase()).isEqualTo(AppPhase.DEGRADED);

    core.advance(FakeClusterRuntime.RESTART_BACKOFF);
    core.local.ready("web", 0);
    core.advance(Diagnosis.STABLE_AFTER.plusSeconds(2));
    core.settle();
    assertThat(core.appService.get("web").status().phase()).isEqualTo(AppPhase.RUNNING);
  }

  @Test
  void restartingAnInstanceAsksTheRuntimeAndRecordsWhoAsked() {
    running("web", 2);
    core.appService.restartInstance("web", "web-1", "carol");
    assertThat(core.local.restarted()).containsExactly("web-1");
    assertThat(core.events.all())
        .anyMatch(
            e ->
                e.name().equals("web-1")
                    && e.reason().equals("RestartRequested")
                    && e.message().contains("carol"));
  }

  @Test
  void deletingAChosenInstanceWithoutReplacementShrinksTheAppAndKeepsItsOrdinalFree() {
    running("web", 3);
    String answer = core.appService.deleteInstance("web", "web-1", false, "alice");
    core.settle();

    assertThat(answer).contains("web now has 2 instance(s) and ordinal 1 stays free");
    App app = core.appService.get("web");
    assertThat(app.instances()).isEqualTo(2);
    assertThat(app.reservedOrdinals()).containsExactly(1);
    assertThat(ordinals("web")).containsExactly(0, 2);
    assertThat(core.local.lastApplied("web").reservedOrdinals()).containsExactly(1);

    core.appService.scale("web", new Scale(3), null, "alice");
    core.settle();
    assertThat(ordinals("web"))
        .as("a new instance takes the lowest ordinal that is not reserved")
        .containsExactly(0, 2, 3);
  }

  @Test
  void deletingAChosenInstanceWithReplacementKeepsTheCountAndTheIdentity() {
    running("web", 3);
    core.appService.deleteInstance("web", "web-1", true, "alice");
    core.settle();

    assertThat(core.local.deletedInstances()).containsExactly("web-1 (replaced)");
    assertThat(core.appService.get("web").instances()).isEqualTo(3);
    assertThat(ordinals("web")).containsExactly(0, 1, 2);
    assertThat(core.local.instances("web").get(1).state()).isEqualTo(InstanceState.PENDING);
    assertThat(core.appService.get("web").status().phase()).isNotEqualTo(AppPhase.RUNNING);
  }

  @Test
  void scalingDownRemovesTheHighestOrdinalsAndScalingToZeroStops() {
    running("web", 3);
    core.appService.scale("web", new Scale(1), null, "alice");
    core.settle();
    assertThat(ordinals("web")).containsExactly(0);
    assertThat(core.appService.get("web").status().phase()).isEqualTo(AppPhase.RUNNING);

    core.appService.scale("web", new Scale(0), null, "alice");
    core.settle();
    assertThat(ordinals("web")).isEmpty();
    assertThat(core.appService.get("web").status().phase()).isEqualTo(AppPhase.STOPPED);
  }

  @Test
  void deletionRemovesEveryInstanceThenTheRecord() {
    running("web", 2);
    core.appService.delete("web", "alice");
    core.settle();
    assertThat(core.local.instances("web")).isEmpty();
    assertThat(core.apps.find("web")).isEmpty();
    assertThat(core.events.reasons("app/web")).containsSubsequence("Deleting", "Deleted");
  }

  @Test
  void aClusterThatIsGoneIsRetriedWithBackOffAndReportedUntilItIsBack() {
    core.clusters.remove("local");
    core.apps.create(
        new App(
            "web",
            "default",
            "alice",
            "local",
            spec("registry.test/web:1"),
            1,
            1,
            null,
            false,
            1,
            AppStatus.initial(1),
            null,
            null),
        new Revision("web", 1, spec("registry.test/web:1"), "alice", core.time.instant()));
    core.appQueue.enqueue("web");
    core.settle();
    assertThat(core.events.all())
        .anyMatch(
            e ->
                e.reason().equals("ReconcileFailed")
                    && e.message().equals("cluster 'local' is not available; retrying in 1s"));
    assertThat(core.local.applied()).isEmpty();

    core.clusters.add(core.local);
    core.advance(Duration.ofSeconds(1));
    assertThat(ordinals("web")).containsExactly(0);
  }
}
