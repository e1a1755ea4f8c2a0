package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.AppSpec;
import dev.berth.core.event.EventType;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance state machine on a fake container lifecycle; time moves by hand, nothing needs root.
 */
class SupervisorTest {
  static final AppSpec SPEC =
      new AppSpec("busybox:1", List.of("httpd"), null, null, null, null, null, null);
  static final Duration MS = Duration.ofMillis(1);

  @TempDir Path dir;
  final ManualScheduler time = new ManualScheduler();
  final FakeLifecycle life = new FakeLifecycle();
  final Recorder<Instance> seen = new Recorder<>();
  Supervisor sup;

  @BeforeEach
  void create() {
    Backoff backoff =
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(10));
    SupervisorParts parts =
        new SupervisorParts(
            life,
            time,
            backoff,
            Prober.Factory.NONE,
            dir,
            Duration.ofDays(7),
            "node",
            "10.0.0.1",
            n -> Mailbox.INLINE);
    sup = new Supervisor(parts, "web", 0, seen);
  }

  void apply(long revision) {
    sup.send(new Supervisor.Apply(new InstanceSlot("web", 0, revision, SPEC)));
  }

  Instance now() {
    return sup.snapshot();
  }

  @Test
  void restartBackOffDoublesWithEachCrashUpToTheCap() {
    apply(1);
    assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
    int starts = 1;
    for (int seconds : new int[] {1, 2, 4, 8, 8}) {
      life.exit(1);
      assertThat(now().state()).isEqualTo(InstanceState.BACKOFF);
      assertThat(now().message()).endsWith("restarting in " + seconds + "s");
      time.advance(Duration.ofSeconds(seconds).minus(MS));
      assertThat(life.starts).as("no restart before the back-off is over").isEqualTo(starts);
      time.advance(MS);
      assertThat(life.starts).isEqualTo(++starts);
      assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
    }
    assertThat(now().restarts()).isEqualTo(5);
    assertThat(seen.last("Restarted").message()).contains("back-off 8s", "restart 5");
  }

  @Test
  void anInstanceThatStayedUpLongEnoughStartsTheBackOffOver() {
    apply(1);
    life.exit(1);
    time.advance(Duration.ofSeconds(1));
    life.exit(1);
    assertThat(now().message()).endsWith("restarting in 2s");
    time.advance(Duration.ofSeconds(2));
    time.advance(Duration.ofMinutes(10));
    life.exit(1);
    assertThat(now().message()).endsWith("restarting in 1s");
  }

  @Test
  void removingAnInstanceDuringBackOffCancelsTheRestartAndReleasesIt() {
    apply(1);
    life.exit(1);
    assertThat(now().state()).isEqualTo(InstanceState.BACKOFF);
    sup.send(new Supervisor.Remove(false));
    assertThat(sup.removed()).isTrue();
    assertThat(life.releases).isEqualTo(1);
    assertThat(seen.gone).isTrue();
    time.advance(Duration.ofMinutes(5));
    assertThat(life.starts).as("the pending restart was called off").isEqualTo(1);
  }

  @Test
  void aFailedStartIsAWarningAndIsRetriedAfterBackOff() {
    life.failStarts(2, new RuntimeFailure("subnet 10.0.0.0/30 has no free address left for web-0"));
    apply(1);
    assertThat(now().state()).isEqualTo(InstanceState.FAILED);
    assertThat(seen.last("Failed").type()).isEqualTo(EventType.WARNING);
    assertThat(seen.last("Failed").message()).contains("no free address left", "retrying in 1s");
    time.advance(Duration.ofSeconds(1));
    assertThat(life.starts).isEqualTo(2);
    assertThat(now().message()).endsWith("retrying in 2s");
    time.advance(Duration.ofSeconds(2));
    assertThat(life.starts).isEqualTo(3);
    assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aRestartRequestStopsTheContainerGracefullyAndStartsItAgain() {
    apply(1);
    sup.send(new Supervisor.Restart());
    assertThat(life.calls).containsSubsequence("start", "stop", "start");
    assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
    assertThat(now().restarts()).isEqualTo(1);
    assertThat(now().lastExit().code()).isEqualTo(143);
    assertThat(seen.reasons()).containsSubsequence("Started", "Killing", "Restarted", "Started");
  }

  @Test
  void anOomKillIsReportedAsAWarning() {
    life.oom = true;
    apply(1);
    life.exit(137);
    assertThat(now().lastExit().reason()).isEqualTo(ExitReason.OOM);
    assertThat(seen.last("OOMKilled").type()).isEqualTo(EventType.WARNING);
  }

  @Test
  void aNewRevisionReplacesTheContainerOnAFreshRoot() {
    apply(1);
    apply(2);
    assertThat(life.calls).containsSubsequence("start", "stop", "freshRoot", "start");
    assertThat(now().revision()).isEqualTo(2);
    assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void anExitOfAReplacedContainerIsIgnored() {
    apply(1);
    sup.send(new Supervisor.Restart());
    sup.send(new Supervisor.Exited(1)); // the first container's late exit signal
    assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
    assertThat(life.starts).isEqualTo(2);
  }
}
