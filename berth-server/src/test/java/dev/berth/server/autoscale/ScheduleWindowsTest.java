package dev.berth.server.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.autoscale.AutoscalePolicy;
import dev.berth.core.autoscale.AutoscaleState;
import dev.berth.core.autoscale.Autoscaler;
import dev.berth.core.autoscale.Decision;
import dev.berth.core.autoscale.Inputs;
import dev.berth.core.autoscale.MetricTarget;
import dev.berth.core.autoscale.Reading;
import dev.berth.core.autoscale.ScalingRules;
import dev.berth.core.autoscale.ScheduleWindow;
import dev.berth.core.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A day of an app under a schedule window (08:00–20:00 in Berlin, at least 4 instances) and a CPU
 * target with no load, on a moving clock: the real cron windows and the real decisions, evaluated
 * every 15 s as the controller does.
 */
class ScheduleWindowsTest {
  final CronWindows windows = new CronWindows();
  final ScheduleWindow day =
      new ScheduleWindow("day", "0 8 * * *", "0 20 * * *", "Europe/Berlin", 4, null);

  @Test
  void theFloorRaisesTheCountAtItsStartAndStepsDownAtItsEndThroughTheCoolDown() {
    AutoscalePolicy policy =
        new AutoscalePolicy(
            1,
            8,
            List.of(MetricTarget.cpu(50)),
            null,
            new ScalingRules(60, null, null),
            null,
            600,
            List.of(day),
            false);
    ManualScheduler clock =
        new ManualScheduler(Instant.parse("2026-12-03T06:30:00Z")); // 07:30 in Berlin
    AutoscaleState state = AutoscaleState.EMPTY;
    int count = 1;
    Map<Instant, Integer> changes = new LinkedHashMap<>();
    for (int i = 0; i < 4 * 60 * 24; i++) { // one day in steps of 15 s
      Instant now = clock.instant();
      Inputs in =
          new Inputs(
              count,
              List.of(Reading.of(policy.metrics().getFirst(), 5, count, List.of())),
              List.of(windows.at(day, now)),
              null);
      Autoscaler.Outcome o = Autoscaler.decide(policy, state, in, now);
      state = o.state();
      Decision d = o.decision();
      if (d.changes()) {
        changes.put(now, d.desired());
        count = d.desired();
      }
      clock.advance(Duration.ofSeconds(15));
    }
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    List<String> when =
        changes.entrySet().stream()
            .map(e -> e.getKey().atZone(berlin).toLocalTime() + "→" + e.getValue())
            .toList();
    // up at the window's start; at its end one step per 10-minute cool-down, not straight to min
    assertThat(when).containsExactly("08:00→4", "20:01→3", "20:11→2", "20:21→1");
  }

  @Test
  void aWindowIsOpenFromItsStartUntilItsEndInItsTimeZone() {
    assertThat(windows.at(day, Instant.parse("2026-12-03T06:59:59Z")).open()).isFalse();
    assertThat(windows.at(day, Instant.parse("2026-12-03T07:00:00Z")).open()).isTrue();
    assertThat(windows.at(day, Instant.parse("2026-12-03T18:59:00Z")).open()).isTrue();
    var closed = windows.at(day, Instant.parse("2026-12-03T19:30:00Z"));
    assertThat(closed.open()).isFalse();
    assertThat(closed.lastEnd()).isEqualTo(Instant.parse("2026-12-03T19:00:00Z"));
    ScheduleWindow night = new ScheduleWindow("night", "0 22 * * *", "0 6 * * *", "UTC", null, 1);
    assertThat(windows.at(night, Instant.parse("2026-12-03T02:00:00Z")).open()).isTrue();
    assertThat(windows.cronError("0 8 * *")).contains("5 fields");
    assertThat(windows.cronError("0 0 30 2 *")).contains("never fires");
  }
}
