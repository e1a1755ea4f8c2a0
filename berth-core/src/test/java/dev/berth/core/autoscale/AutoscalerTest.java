package dev.berth.core.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.autoscale.Decision.Rule;
import dev.berth.core.support.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler's decisions on a moving clock: an app whose count follows the decisions, a CPU
 * reading set by the test, time moved in steps as the controller's interval would.
 */
class AutoscalerTest {
  static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

  /** An app under a policy: the count, the state, the clock, the decisions so far. */
  static final class Sim {
    final AutoscalePolicy policy;
    AutoscaleState state = AutoscaleState.EMPTY;
    Instant now = T0;
    int count;
    Double cpu;
    String release;
    List<WindowState> windows = List.of();
    final List<Decision> decisions = new ArrayList<>();

    Sim(AutoscalePolicy policy, int count) {
      this.policy = policy;
      this.count = count;
    }

    Decision step() {
      List<Reading> readings = new ArrayList<>();
      for (MetricTarget t : policy.metrics()) {
        readings.add(
            cpu == null
                ? Reading.missing(t, "the metric source does not answer")
                : Reading.of(t, cpu, count, List.of()));
      }
      Autoscaler.Outcome o =
          Autoscaler.decide(policy, state, new Inputs(count, readings, windows, release), now);
      state = o.state();
      decisions.add(o.decision());
      if (!policy.dryRun()) {
        count = o.decision().desired();
      }
      return o.decision();
    }

    /** Moves the clock by {@code seconds} in steps of 15 s, deciding at each. */
    Decision run(int seconds) {
      Decision last = null;
      for (int s = 0; s < seconds; s += 15) {
        now = now.plusSeconds(15);
        last = step();
      }
      return last;
    }
  }

  static AutoscalePolicy cpu(int min, int max, int downWindow, int cooldown) {
    return new AutoscalePolicy(
        min,
        max,
        List.of(MetricTarget.cpu(50)),
        null,
        new ScalingRules(downWindow, null, null),
        null,
        cooldown,
        null,
        false);
  }

  @Test
  void highCpuScalesUpAtOnceAndTheMaxCaps() {
    Sim sim = new Sim(cpu(1, 3, 300, 60), 1);
    sim.cpu = 150.0;
    Decision d = sim.step();
    assertThat(d.desired()).isEqualTo(3);
    assertThat(d.metricDesired()).isEqualTo(3);
    sim.cpu = 400.0;
    d = sim.run(15);
    assertThat(d.desired()).isEqualTo(3);
    assertThat(d.rule()).isEqualTo(Rule.MAX);
    assertThat(String.join("\n", d.inputs())).contains("cpu: 400% (target 50%");
  }

  @Test
  void withinTheToleranceNothingMovesAndEachPolicyHasItsOwn() {
    Sim loose = new Sim(cpu(1, 5, 0, 0), 2);
    loose.cpu = 54.0;
    assertThat(loose.step().desired()).isEqualTo(2);
    assertThat(loose.decisions.getLast().rule()).isEqualTo(Rule.TOLERANCE);

    AutoscalePolicy strict =
        new AutoscalePolicy(1, 5, List.of(MetricTarget.cpu(50)), null, null, 0.05, 0, null, false);
    Sim tight = new Sim(strict, 2);
    tight.cpu = 54.0;
    assertThat(tight.step().desired()).isEqualTo(3);
  }

  @Test
  void scaleDownWaitsForItsStabilizationWindow() {
    Sim sim = new Sim(cpu(1, 3, 120, 0), 1);
    sim.cpu = 150.0;
    sim.step();
    assertThat(sim.count).isEqualTo(3);
    sim.cpu = 5.0; // load off
    Decision d = sim.run(105);
    assertThat(sim.count).isEqualTo(3);
    assertThat(d.rule()).isEqualTo(Rule.STABILIZATION);
    assertThat(d.reason()).contains("highest recommendation of the last 120 s was 3");
    sim.run(30);
    assertThat(sim.count).isEqualTo(1);
  }

  @Test
  void rateLimitsBoundEachPeriod() {
    AutoscalePolicy p =
        new AutoscalePolicy(
            1,
            10,
            List.of(MetricTarget.cpu(50)),
            new ScalingRules(0, List.of(new RatePolicy(RatePolicy.INSTANCES, 1, 60)), "max"),
            new ScalingRules(0, null, null),
            null,
            0,
            null,
            false);
    Sim sim = new Sim(p, 1);
    sim.cpu = 500.0;
    Decision d = sim.step();
    assertThat(d.desired()).isEqualTo(2);
    assertThat(d.rule()).isEqualTo(Rule.RATE_LIMIT);
    sim.run(45); // within the same 60 s period: no further step
    assertThat(sim.count).isEqualTo(2);
    sim.run(15); // 60 s after the first step
    assertThat(sim.count).isEqualTo(3);
  }

  @Test
  void coolDownHoldsADecreaseAfterAChange() {
    Sim sim = new Sim(cpu(1, 3, 0, 120), 1);
    sim.cpu = 150.0;
    sim.step();
    assertThat(sim.count).isEqualTo(3);
    sim.cpu = 5.0;
    Decision d = sim.run(105);
    assertThat(sim.count).isEqualTo(3);
    assertThat(d.rule()).isEqualTo(Rule.COOLDOWN);
    sim.run(15);
    assertThat(sim.count).isEqualTo(1);
  }

  @Test
  void aReleaseInProgressHoldsTheCountButLetsItGrow() {
    Sim sim = new Sim(cpu(1, 5, 0, 0), 3);
    sim.release = "web.7";
    sim.cpu = 10.0;
    Decision d = sim.step();
    assertThat(d.desired()).isEqualTo(3);
    assertThat(d.rule()).isEqualTo(Rule.RELEASE);
    assertThat(d.reason()).contains("release web.7 is in progress");
    sim.cpu = 100.0;
    assertThat(sim.run(15).desired()).isEqualTo(5);
    sim.release = null;
    sim.cpu = 10.0;
    sim.run(15);
    assertThat(sim.count).isEqualTo(1);
  }

  @Test
  void missingDataHoldsTheCountAndSaysWhy() {
    Sim sim = new Sim(cpu(1, 5, 0, 0), 4);
    sim.cpu = null;
    Decision d = sim.run(600);
    assertThat(sim.count).isEqualTo(4);
    assertThat(d.rule()).isEqualTo(Rule.MISSING_DATA);
    assertThat(d.inputs()).anyMatch(s -> s.contains("the metric source does not answer"));
    assertThat(d.metricDesired()).isNull();
  }

  @Test
  void aScheduleFloorRaisesTheCountAndStepsDownThroughTheCoolDown() {
    ScheduleWindow day = new ScheduleWindow("day", "0 8 * * *", "0 20 * * *", "UTC", 4, null);
    Sim sim = new Sim(cpu(1, 6, 0, 300), 1);
    sim.cpu = 10.0;
    sim.step();
    assertThat(sim.count).isEqualTo(1);
    sim.windows = List.of(new WindowState(day, true, null));
    Decision d = sim.run(15);
    assertThat(sim.count).isEqualTo(4);
    assertThat(d.rule()).isEqualTo(Rule.SCHEDULE_FLOOR);
    sim.run(3600); // the window holds the floor with no load
    assertThat(sim.count).isEqualTo(4);

    Instant end = sim.now;
    sim.windows = List.of(new WindowState(day, false, end));
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < 5 * 20; i++) {
      sim.run(15);
      counts.add(sim.count);
    }
    // 4 → 3 at the end, then one instance per 300 s cool-down: never straight to min
    assertThat(counts.getFirst()).isEqualTo(3);
    assertThat(counts.get(18)).isEqualTo(3);
    assertThat(counts.get(21)).isEqualTo(2);
    assertThat(counts.getLast()).isEqualTo(1);
    assertThat(counts).isSortedAccordingTo((a, b) -> b - a);
    assertThat(sim.decisions)
        .filteredOn(x -> x.changes() && x.at().isAfter(end.minusSeconds(1)))
        .extracting(Decision::desired)
        .containsExactly(3, 2, 1);
  }

  @Test
  void aScheduleFloorWinsOverLowMetricsAndAHighMetricWinsOverTheFloor() {
    ScheduleWindow day = new ScheduleWindow("day", "0 8 * * *", "0 20 * * *", "UTC", 2, null);
    Sim sim = new Sim(cpu(1, 6, 0, 0), 2);
    sim.windows = List.of(new WindowState(day, true, null));
    sim.cpu = 200.0;
    assertThat(sim.step().desired()).isEqualTo(6);
    assertThat(sim.decisions.getLast().rule()).isEqualTo(Rule.MAX);
  }

  @Test
  void aScheduleCeilingCapsAfterTheClamp() {
    ScheduleWindow night = new ScheduleWindow("night", "0 22 * * *", "0 6 * * *", "UTC", null, 2);
    Sim sim = new Sim(cpu(1, 6, 0, 0), 1);
    sim.windows = List.of(new WindowState(night, true, null));
    sim.cpu = 400.0;
    Decision d = sim.step();
    assertThat(d.desired()).isEqualTo(2);
    assertThat(d.rule()).isEqualTo(Rule.SCHEDULE_CEILING);
  }

  @Test
  void dryRunRecordsWithoutActing() {
    AutoscalePolicy p =
        new AutoscalePolicy(1, 3, List.of(MetricTarget.cpu(50)), null, null, null, 0, null, true);
    Sim sim = new Sim(p, 1);
    sim.cpu = 150.0;
    Decision d = sim.step();
    assertThat(d.desired()).isEqualTo(3);
    assertThat(d.dryRun()).isTrue();
    assertThat(sim.count).isEqualTo(1);
    assertThat(sim.state.changes()).isEmpty();
  }

  @Test
  void badPoliciesNameTheirFields() {
    WindowClock clock =
        new WindowClock() {
          @Override
          public WindowState at(ScheduleWindow window, Instant now) {
            return new WindowState(window, false, null);
          }

          @Override
          public String cronError(String cron) {
            return cron.split(" ").length == 5 ? null : "needs five fields";
          }
        };
    AutoscalePolicy p =
        new AutoscalePolicy(
            4,
            2,
            List.of(
                new MetricTarget("cpu", 0.0, null, null, null),
                new MetricTarget("metric", null, 5.0, null, null)),
            new ScalingRules(-1, List.of(new RatePolicy("pods", 0, 0)), "sometimes"),
            null,
            1.5,
            null,
            List.of(new ScheduleWindow("x", "0 8 * *", "0 20 * * *", "Mars/Olympus", 9, null)),
            false);
    List<String> fields =
        p.problems(0.5, clock).list().stream().map(ValidationException.FieldError::field).toList();
    assertThat(fields)
        .contains(
            "min",
            "metrics[0].targetPercent",
            "metrics[1].name",
            "tolerance",
            "scaleUp.stabilizationSeconds",
            "scaleUp.selectPolicy",
            "scaleUp.policies[0].type",
            "scaleUp.policies[0].value",
            "scaleUp.policies[0].periodSeconds",
            "schedules[0].start",
            "schedules[0].timezone",
            "schedules[0].floor");
    AutoscalePolicy noCpu =
        new AutoscalePolicy(
            1, 2, List.of(MetricTarget.cpu(50)), null, null, null, null, null, false);
    assertThat(noCpu.problems(0, clock).list())
        .extracting(ValidationException.FieldError::field)
        .containsExactly("metrics[0].type");
    assertThat(Duration.ofSeconds(noCpu.cooldownSeconds())).isEqualTo(Duration.ofMinutes(1));
  }
}
