package dev.berth.server.web;

import dev.berth.core.runtime.LogQuery;
import dev.berth.core.support.Errors;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of every log endpoint, checked: {@code tail} (the last n lines, all when -1), {@code
 * since} (an RFC 3339 time, or a duration back from now like {@code 90s}, {@code 5m}, {@code
 * 1h30m}), {@code follow}, {@code timestamps} (prefix each line with its RFC 3339 time) and {@code
 * streams} (prefix each line with {@code stdout} or {@code stderr}).
 */
public record LogOptions(LogQuery query, boolean timestamps, boolean streams) {
  public static final int MAX_TAIL = 100_000;
  private static final Pattern DURATION =
      Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,8})m)?(?:(\\d{1,10})s)?");

  /**
   * @throws dev.berth.core.support.ValidationException naming {@code tail} or {@code since} and
   *     what is accepted
   */
  public static LogOptions parse(
      int tail, String since, boolean follow, boolean timestamps, boolean streams, Instant now) {
    Errors errors = new Errors();
    errors.check(
        tail >= -1 && tail <= MAX_TAIL,
        "tail",
        "must be -1 (all lines) or 0 to " + MAX_TAIL + ", was " + tail);
    Instant from = null;
    if (since != null && !since.isBlank()) {
      from = since(since.trim(), now);
      errors.check(
          from != null,
          "since",
          "must be an RFC 3339 time like 2026-03-01T10:00:00Z or a duration back from now like 90s, 5m or 1h30m, was '"
              + since
              + "'");
    }
    errors.throwIfAny();
    return new LogOptions(new LogQuery(tail, follow, from), timestamps, streams);
  }

  static Instant since(String since, Instant now) {
    try {
      return OffsetDateTime.parse(since).toInstant();
    } catch (DateTimeParseException notATime) {
      Matcher m = DURATION.matcher(since);
      if (since.isEmpty() || !m.matches()) {
        return null;
      }
      Duration d =
          Duration.ofHours(number(m.group(1)))
              .plusMinutes(number(m.group(2)))
              .plusSeconds(number(m.group(3)));
      return now.minus(d);
    }
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }
}
