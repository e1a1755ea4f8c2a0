package dev.berth.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.event.EventType;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The status an app shows (phase, reason, message, since) and the app events its changes make. */
class DiagnosisTest {
  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final Probe READINESS = new Probe(ProbeType.HTTP, 8080, "/", null, 0, 2, 1, 3, 1);
  static final AppSpec PROBED =
      new AppSpec("reg/app:1", null, null, null, null, null, new Health(null, READINESS), null);
  static final AppStatus RUNNING =
      new AppStatus(AppPhase.RUNNING, 2, 2, 1, 1, 0, "2 of 2 instances ready", "AllReady", T0);

  static App app(int instances, AppStatus status) {
    return new App(
        "web", "team", "me", "local", PROBED, 1, instances, Set.of(), false, 1, status, T0, T0);
  }

  static Instance inst(
      int ordinal, InstanceState state, boolean ready, Instant startedAt, String message) {
    return new Instance(
        "web-" + ordinal,
        "web",
        ordinal,
        "h",
        "10.0.0." + ordinal,
        "h",
        1,
        state,
        ready,
        0,
        null,
        startedAt,
        true,
        message);
  }

  @Test
  void aCrashLoopingInstanceMakesTheAppDegradedSinceThenWithAWarning() {
    Instance crashing =
        new Instance(
            "web-1",
            "web",
            1,
            "h",
            "ip",
            "h",
            1,
            InstanceState.BACKOFF,
            false,
            3,
            null,
            T0,
            true,
            "exited with code 1; restarting in 4s");
    Instant now = T0.plusSeconds(30);
    AppStatus next =
        Rollout.plan(
                app(2, RUNNING),
                null,
                List.of(inst(0, InstanceState.RUNNING, true, T0, null), crashing),
                now)
            .status()
            .since(RUNNING, now);
    assertThat(next.phase()).isEqualTo(AppPhase.DEGRADED);
    assertThat(next.reason()).isEqualTo("CrashLoopBackOff");
    assertThat(next.message())
        .isEqualTo("web-1 exited with code 1; restarting in 4s (restarts: 3)");
    assertThat(next.since()).isEqualTo(now);
    assertThat(StatusEvents.between(RUNNING, next))
        .hasValueSatisfying(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.WARNING);
              assertThat(e.reason()).isEqualTo("Degraded");
              assertThat(e.message()).startsWith("CrashLoopBackOff: web-1");
            });
    // the next pass keeps the time it became degraded and makes no second event
    AppStatus later = next.since(next, now.plusSeconds(10));
    assertThat(later.since()).isEqualTo(now);
    assertThat(StatusEvents.between(next, later)).isEmpty();
    AppStatus recovered = RUNNING.since(later, now.plusSeconds(60));
    assertThat(StatusEvents.between(later, recovered))
        .hasValueSatisfying(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.NORMAL);
              assertThat(e.reason()).isEqualTo("Recovered");
            });
  }

  @Test
  void anInstanceRestartedAfterACrashCountsAsRecoveredOnlyAfterTenSecondsUp() {
    Instance restarted =
        new Instance(
            "web-1",
            "web",
            1,
            "h",
            "ip",
            "h",
            1,
            InstanceState.RUNNING,
            true,
            2,
            dev.berth.core.runtime.ExitInfo.of(3, false, T0),
            T0.plusSeconds(1),
            true,
            null);
    List<Instance> observed = List.of(inst(0, InstanceState.RUNNING, true, T0, null), restarted);
    Rollout.Plan soon = Rollout.plan(app(2, RUNNING), null, observed, T0.plusSeconds(4));
    assertThat(soon.status().phase()).isEqualTo(AppPhase.DEGRADED);
    assertThat(soon.status().message())
        .isEqualTo(
            "web-1 was restarted 3s ago after its last exit (exited with code 3; restarts: 2); it counts as recovered after 10s up");
    assertThat(soon.settled()).isFalse();
    Rollout.Plan later = Rollout.plan(app(2, RUNNING), null, observed, T0.plusSeconds(11));
    assertThat(later.status().phase()).isEqualTo(AppPhase.RUNNING);
    assertThat(later.settled()).isTrue();
  }

  @Test
  void aRestartSomebodyAskedForIsNoCrash() {
    Instance requested =
        new Instance(
            "web-1",
            "web",
            1,
            "h",
            "ip",
            "h",
            1,
            InstanceState.RUNNING,
            true,
            1,
            dev.berth.core.runtime.ExitInfo.of(143, false, T0),
            T0.plusSeconds(1),
            true,
            null);
    List<Instance> observed = List.of(inst(0, InstanceState.RUNNING, true, T0, null), requested);
    assertThat(Rollout.plan(app(2, RUNNING), null, observed, T0.plusSeconds(2)).status().phase())
        .isEqualTo(AppPhase.RUNNING);
  }

  @Test
  void anInstanceUnreadyForLongerThanThreeFailureWindowsDegradesTheApp() {
    assertThat(Diagnosis.notReadyAfter(READINESS)).isEqualTo(Duration.ofSeconds(18));
    List<Instance> observed =
        List.of(
            inst(0, InstanceState.RUNNING, true, T0, null),
            inst(1, InstanceState.RUNNING, false, T0, null));
    AppStatus early = Rollout.plan(app(2, RUNNING), null, observed, T0.plusSeconds(18)).status();
    assertThat(early.phase()).isEqualTo(AppPhase.PROGRESSING);
    assertThat(early.reason()).isEqualTo("Starting");
    AppStatus late = Rollout.plan(app(2, RUNNING), null, observed, T0.plusSeconds(19)).status();
    assertThat(late.phase()).isEqualTo(AppPhase.DEGRADED);
    assertThat(late.reason()).isEqualTo("NotReady");
    assertThat(late.message())
        .isEqualTo(
            "web-1 has not passed its readiness probe for 19s (more than 3 × failureThreshold 3 × period 2s)");
  }

  @Test
  void aStuckRolloutSaysItIsHeld() {
    AppStatus rolling = new AppStatus(AppPhase.PROGRESSING, 1, 1, 1, 2, 1, "", "RollingOut", T0);
    App app =
        new App("web", "team", "me", "local", PROBED, 2, 1, Set.of(), false, 1, rolling, T0, T0);
    Instance next =
        new Instance(
            "web-0",
            "web",
            0,
            "h",
            "ip",
            "h",
            2,
            InstanceState.BACKOFF,
            false,
            1,
            null,
            T0,
            true,
            "exited with code 2; restarting in 1s");
    AppStatus status = Rollout.plan(app, PROBED, List.of(next), T0.plusSeconds(5)).status();
    assertThat(status.phase()).isEqualTo(AppPhase.DEGRADED);
    assertThat(status.message())
        .startsWith("rollout of revision 2 is held: web-0 exited with code 2");
  }

  @Test
  void aWantedInstanceStillStoppingSaysTheAppWaitsForIt() {
    List<Instance> observed =
        List.of(
            inst(0, InstanceState.RUNNING, true, T0, null),
            inst(1, InstanceState.STOPPING, false, T0, "instance deleted"));
    AppStatus status = Rollout.plan(app(2, RUNNING), null, observed, T0.plusSeconds(1)).status();
    assertThat(status.phase()).isEqualTo(AppPhase.PROGRESSING);
    assertThat(status.reason()).isEqualTo("WaitingForStop");
    assertThat(status.message())
        .isEqualTo(
            "1 of 2 instances ready; web-1 is still stopping (instance deleted) and starts again once it has stopped, at the latest after its stop timeout of 30s");
    assertThat(StatusEvents.between(RUNNING, status))
        .hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo("WaitingForStop"));
  }

  @Test
  void theSeverityOfInstanceEventsIsDecidedInOnePlace() {
    assertThat(
            dev.berth.core.runtime.Severity.ofExit(
                dev.berth.core.runtime.ExitInfo.of(0, false, T0)))
        .isEqualTo(EventType.NORMAL);
    assertThat(
            dev.berth.core.runtime.Severity.ofExit(
                dev.berth.core.runtime.ExitInfo.of(1, false, T0)))
        .isEqualTo(EventType.WARNING);
    assertThat(
            dev.berth.core.runtime.Severity.ofExit(
                dev.berth.core.runtime.ExitInfo.of(137, false, T0)))
        .isEqualTo(EventType.WARNING);
    assertThat(
            dev.berth.core.runtime.Severity.ofExit(
                dev.berth.core.runtime.ExitInfo.of(137, true, T0)))
        .isEqualTo(EventType.WARNING);
    assertThat(dev.berth.core.runtime.Severity.ofRestart(true)).isEqualTo(EventType.NORMAL);
    assertThat(dev.berth.core.runtime.Severity.ofRestart(false)).isEqualTo(EventType.WARNING);
  }
}
