package dev.berth.server.support.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.support.BerthException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Small helpers shared by the JDBC stores: times go in as UTC {@link OffsetDateTime} truncated to
 * microseconds (what both H2 and PostgreSQL keep), JSON columns go through the application's
 * mapper.
 */
public final class Sql {
  private Sql() {}

  /** The largest page or result size a store hands out in one call. */
  public static final int MAX_LIMIT = 1000;

  /** A time as both databases store it: UTC, microseconds. Null stays null. */
  public static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : micros(instant).atOffset(ZoneOffset.UTC);
  }

  /** An instant cut to the precision the database keeps, so that values survive a round trip. */
  public static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /**
   * A LIKE pattern for "contains {@code text}", with {@code %}, {@code _} and the escape character
   * taken literally; use with {@code ESCAPE '!'}.
   */
  public static String containsPattern(String text) {
    StringBuilder b = new StringBuilder(text.length() + 8).append('%');
    for (char c : text.toCharArray()) {
      if (c == '!' || c == '%' || c == '_') {
        b.append('!');
      }
      b.append(c);
    }
    return b.append('%').toString();
  }

  /**
   * The mapper the stores read JSON columns with: the application's, tolerant of unknown fields.
   */
  public static ObjectMapper storeMapper(ObjectMapper applicationMapper) {
    return applicationMapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public static String toJson(ObjectMapper mapper, Object value) {
    if (value == null) {
      return null;
    }
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new BerthException(
          "cannot write "
              + value.getClass().getSimpleName()
              + " as JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  public static <T> T fromJson(ObjectMapper mapper, String json, JavaType type) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new BerthException(
          "stored JSON does not read as "
              + type.getRawClass().getSimpleName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * A condition limiting {@code column} to {@code teams}, its values appended to {@code params}:
   * empty when {@code teams} is null (every team), always false when it is empty. Starts with " AND
   * ".
   */
  public static String teamFilter(
      String column, java.util.Set<String> teams, java.util.List<Object> params) {
    if (teams == null) {
      return "";
    }
    if (teams.isEmpty()) {
      return " AND 1 = 0";
    }
    params.addAll(new java.util.TreeSet<>(teams));
    return " AND "
        + column
        + " IN ("
        + String.join(", ", java.util.Collections.nCopies(teams.size(), "?"))
        + ")";
  }
}
