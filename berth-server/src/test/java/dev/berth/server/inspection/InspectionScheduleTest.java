package dev.berth.server.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InspectionScheduleTest {
  static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
  static final Duration SIX_HOURS = Duration.ofHours(6);

  @Test
  void theFirstPassComesOneIntervalAfterTheLastStoredInspection() {
    assertThat(InspectionSchedule.firstDelay(NOW.minus(Duration.ofHours(2)), NOW, SIX_HOURS))
        .isEqualTo(Duration.ofHours(4));
  }

  @Test
  void anOverduePassRunsAtOnceAndAFreshServerWaitsOneInterval() {
    assertThat(InspectionSchedule.firstDelay(NOW.minus(Duration.ofDays(1)), NOW, SIX_HOURS))
        .isZero();
    assertThat(InspectionSchedule.firstDelay(null, NOW, SIX_HOURS)).isEqualTo(SIX_HOURS);
  }
}
