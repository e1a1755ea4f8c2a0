package dev.berth.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Daily windows on the wall clock of a zone: wrap past midnight, zones, daylight saving. */
class RunWindowTest {
  static final ZoneId UTC = ZoneId.of("UTC");
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void aWindowIsOpenFromItsStartUpToButNotIncludingItsEnd() {
    RunWindow w = RunWindow.parse("01:00-06:00", UTC);
    assertThat(w.isOpen(at("2026-12-03T00:59:59Z"))).isFalse();
    assertThat(w.isOpen(at("2026-12-03T01:00:00Z"))).isTrue();
    assertThat(w.isOpen(at("2026-12-03T05:59:59Z"))).isTrue();
    assertThat(w.isOpen(at("2026-12-03T06:00:00Z"))).isFalse();
    assertThat(w.nextOpening(at("2026-12-03T12:00:00Z"))).contains(at("2026-12-04T01:00:00Z"));
    assertThat(w.nextOpening(at("2026-12-03T00:30:00Z"))).contains(at("2026-12-03T01:00:00Z"));
  }

  @Test
  void aWindowThatWrapsMidnightIsOpenLateInTheEveningAndEarlyInTheMorning() {
    RunWindow w = RunWindow.parse("22:00-04:00", UTC);
    assertThat(w.isOpen(at("2026-12-03T23:30:00Z"))).isTrue();
    assertThat(w.isOpen(at("2026-12-04T03:59:00Z"))).isTrue();
    assertThat(w.isOpen(at("2026-12-04T04:00:00Z"))).isFalse();
    assertThat(w.isOpen(at("2026-12-04T21:59:00Z"))).isFalse();
    assertThat(w.nextOpening(at("2026-12-04T04:00:00Z"))).contains(at("2026-12-04T22:00:00Z"));
  }

  @Test
  void aWindowIsReadOnTheWallClockOfItsZone() {
    RunWindow w = RunWindow.parse("01:00-06:00", SHANGHAI);
    // 01:00 in Shanghai (UTC+8) is 17:00 UTC the day before.
    assertThat(w.isOpen(at("2026-12-03T17:00:00Z"))).isTrue();
    assertThat(w.isOpen(at("2026-12-03T01:00:00Z"))).isFalse();
    Instant next = w.nextOpening(at("2026-12-03T03:00:00Z")).orElseThrow();
    assertThat(next).isEqualTo(at("2026-12-03T17:00:00Z"));
    assertThat(w.local(next)).isEqualTo("2026-12-04T01:00+08:00");
    assertThat(w).hasToString("01:00-06:00 Asia/Shanghai");
  }

  @Test
  void onTheNightTheClockSpringsForwardAWindowInTheSkippedHourOpensWhenTheClockJumpsIntoIt() {
    // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    RunWindow w = RunWindow.parse("02:30-04:00", BERLIN);
    assertThat(w.nextOpening(at("2026-03-28T23:00:00Z"))).contains(at("2026-03-29T01:00:00Z"));
    assertThat(w.isOpen(at("2026-03-29T01:00:00Z"))).isTrue();
    assertThat(w.isOpen(at("2026-03-29T00:59:59Z"))).isFalse();
  }

  @Test
  void aWindowWhollyInsideTheSkippedHourWaitsForTheNextDay() {
    RunWindow w = RunWindow.parse("02:15-02:45", BERLIN);
    // The next day 02:15 CEST is 00:15 UTC.
    assertThat(w.nextOpening(at("2026-03-28T23:00:00Z"))).contains(at("2026-03-30T00:15:00Z"));
  }

  @Test
  void onTheNightTheClockFallsBackAWindowInTheRepeatedHourOpensAtItsFirstPass() {
    // Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC).
    RunWindow w = RunWindow.parse("02:00-02:30", BERLIN);
    assertThat(w.nextOpening(at("2026-10-24T22:00:00Z"))).contains(at("2026-10-25T00:00:00Z"));
    assertThat(w.isOpen(at("2026-10-25T00:10:00Z"))).as("first pass, CEST").isTrue();
    assertThat(w.isOpen(at("2026-10-25T00:40:00Z"))).as("02:40 CEST").isFalse();
    assertThat(w.isOpen(at("2026-10-25T01:10:00Z"))).as("second pass, CET").isTrue();
  }

  @Test
  void malformedAndZeroLengthWindowsAreProblemsNamingTheFormat() {
    assertThat(RunWindow.problem("01:00-06:00")).isNull();
    assertThat(RunWindow.problem("22:00-04:00")).isNull();
    assertThat(RunWindow.problem("1-6")).contains("HH:MM-HH:MM");
    assertThat(RunWindow.problem("25:00-06:00")).contains("HH:MM-HH:MM");
    assertThat(RunWindow.problem("01:00-01:00")).contains("never opens");
    assertThatThrownBy(() -> RunWindow.parse("01:00", UTC))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
