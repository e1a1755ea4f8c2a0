package dev.berth.core.task;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily time window such as {@code 01:00-06:00} read on the wall clock of {@code zone}: open from
 * {@code start} (included) to {@code end} (excluded); when {@code end} is before {@code start} it
 * wraps midnight ({@code 22:00-04:00}). Pure: {@link #isOpen} and {@link #nextOpening} depend only
 * on their argument. Around daylight-saving changes the wall clock decides: a window whose local
 * times are skipped opens when the clock jumps into it (or not that day at all), and one in the
 * repeated hour is open in both passes.
 */
public record RunWindow(LocalTime start, LocalTime end, ZoneId zone) {
  private static final Pattern FORMAT =
      Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]):([0-5]\\d)");
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  public RunWindow {
    if (start.equals(end)) {
      throw new IllegalArgumentException("a window must not start where it ends, was " + start);
    }
  }

  /**
   * What is wrong with {@code window} as text, or null when it is a valid window that opens. Checks
   * the format ({@code HH:MM-HH:MM}, 24-hour) and that start and end differ.
   */
  public static String problem(String window) {
    Matcher m = FORMAT.matcher(window == null ? "" : window.strip());
    if (!m.matches()) {
      return "must be HH:MM-HH:MM in 24-hour time, e.g. '01:00-06:00' (may wrap midnight:"
          + " '22:00-04:00'), was '"
          + window
          + "'";
    }
    if (m.group(1).equals(m.group(3)) && m.group(2).equals(m.group(4))) {
      return "never opens: it starts and ends at "
          + m.group(1)
          + ":"
          + m.group(2)
          + "; give a window of at least one minute, e.g. '01:00-06:00'";
    }
    return null;
  }

  /**
   * The window {@code window} in {@code zone}.
   *
   * @throws IllegalArgumentException when {@link #problem} finds one
   */
  public static RunWindow parse(String window, ZoneId zone) {
    String problem = problem(window);
    if (problem != null) {
      throw new IllegalArgumentException("window " + problem);
    }
    String[] parts = window.strip().split("-");
    return new RunWindow(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]), zone);
  }

  /** Whether the window is open at {@code t}: the wall-clock time there lies in it. */
  public boolean isOpen(Instant t) {
    LocalTime local = t.atZone(zone).toLocalTime();
    if (start.isBefore(end)) {
      return !local.isBefore(start) && local.isBefore(end);
    }
    return !local.isBefore(start) || local.isBefore(end);
  }

  /**
   * The first instant after {@code t} at which the window opens; empty if it never opens within the
   * next few days (a short window inside a skipped hour every day cannot happen in real zones).
   */
  public Optional<Instant> nextOpening(Instant t) {
    LocalDate today = t.atZone(zone).toLocalDate();
    for (int day = -1; day <= 3; day++) {
      Instant candidate = opening(today.plusDays(day));
      if (candidate.isAfter(t) && isOpen(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** When the wall clock reaches {@code start} on {@code date}, or jumps past it. */
  private Instant opening(LocalDate date) {
    LocalDateTime local = date.atTime(start);
    ZoneOffsetTransition gap = zone.getRules().getTransition(local);
    if (gap != null && gap.isGap()) {
      return gap.getInstant();
    }
    return ZonedDateTime.of(local, zone).toInstant();
  }

  /** {@code 01:00-06:00 Asia/Shanghai}. */
  @Override
  public String toString() {
    return start.format(HH_MM) + "-" + end.format(HH_MM) + " " + zone.getId();
  }

  /** {@code t} as a reader in the window's zone sees it: {@code 2026-12-04T01:00+08:00}. */
  public String local(Instant t) {
    return t.atZone(zone).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
