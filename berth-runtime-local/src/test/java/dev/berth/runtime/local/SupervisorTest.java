package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Health;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.event.EventType;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.time.ManualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance state machine on a fake container lifecycle; time moves by hand, nothing needs root.
 */
class SupervisorTest {
  static final AppSpec SPEC =
      new AppSpec("busybox:1", List.of("httpd"), null, null, null, null, null, null);
  static final AppSpec PROBED =
      new AppSpec(
          "busybox:1",
          List.of("httpd"),
          null,
          null,
          null,
          null,
          new Health(null, new Probe(ProbeType.TCP, 8080, null, null, 0, 1, 1, 3, 1)),
          null);
  static final Duration MS = Duration.ofMillis(1);

  @TempDir Path dir;
  final ManualScheduler time = new ManualScheduler();
  final FakeLifecycle life = new FakeLifecycle();
  final Recorder<Instance> seen = new Recorder<>();
  Supervisor sup;

  /** The readiness each generation's probes started from; the last generation probed. */
  final List<Boolean> probedFrom = new CopyOnWriteArrayList<>();

  volatile long probedGen;

  final Prober.Factory probes =
      (gen, ip, spec, id, ready, sink) -> {
        probedGen = gen;
        probedFrom.add(ready);
        return () -> {};
      };

  @BeforeEach
  void create() {
    Backoff backoff =
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(10));
    SupervisorParts parts =
        new SupervisorParts(
            life,
            time,
            backoff,
            probes,
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

  // --- readiness across a restart of Berth

  static InstanceRecord recorded(long shimPid, boolean ready) {
    return new InstanceRecord("web", 0, 1, PROBED, null, shimPid, 1000, 0, null, 0, ready, 900);
  }

  InstanceRecord written() throws IOException {
    return InstanceRecord.read(sup.dirs().state());
  }

  @Test
  void anAdoptedContainerThatWasReadyIsReadyBeforeAnyProbeRan() throws IOException {
    Files.createDirectories(sup.dirs().bundle());
    life.liveShimPid = 4242;
    Supervisor.Adopt adopt = new Supervisor.Adopt(recorded(4242, true));

    sup.send(adopt);

    assertThat(adopt.decided()).isDone();
    assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
    assertThat(now().ready()).as("ready before any probe ran").isTrue();
    assertThat(now().message()).contains("ready as its readiness probe last found");
    assertThat(probedFrom).as("its probes go on from ready").containsExactly(true);
    assertThat(life.starts).isZero();
    assertThat(written().readyIn(4242)).as("a second restart of Berth finds it ready too").isTrue();
  }

  @Test
  void anAdoptedContainerUnderAnotherShimStartsNotReady() {
    life.liveShimPid = 5151;

    sup.send(new Supervisor.Adopt(recorded(4242, true)));

    assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
    assertThat(now().ready()).as("another container than the one seen ready").isFalse();
    assertThat(probedFrom).containsExactly(false);
  }

  @Test
  void aContainerThatEndedWhileBerthWasDownIsNeverReportedReady() {
    life.liveShimPid = 0;

    sup.send(new Supervisor.Adopt(recorded(4242, true)));

    assertThat(life.calls).containsSubsequence("adopt", "start");
    assertThat(now().state()).isEqualTo(InstanceState.RUNNING);
    assertThat(now().ready()).isFalse();
    assertThat(seen.changes).noneMatch(Instance::ready);
  }

  @Test
  void everyReadinessChangeIsRecordedForTheNextBerth() throws IOException {
    sup.send(new Supervisor.Apply(new InstanceSlot("web", 0, 1, PROBED)));
    long shim = 1001; // the fake's first container
    assertThat(written().readyIn(shim)).as("a new container is not ready").isFalse();

    time.advance(Duration.ofSeconds(5));
    sup.ready(probedGen, true, "readiness probe succeeded");
    assertThat(written().readyIn(shim)).isTrue();
    assertThat(written().readySince()).isEqualTo(time.instant().toEpochMilli());

    sup.ready(probedGen, false, "Readiness probe failed: connection refused");
    assertThat(written().readyIn(shim)).isFalse();
  }
}
