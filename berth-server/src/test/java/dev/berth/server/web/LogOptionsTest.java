package dev.berth.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ValidationException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogOptionsTest {
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void sinceIsAnRfc3339TimeOrADurationBackFromNow() {
    assertThat(
            LogOptions.parse(-1, "2026-03-01T09:00:00Z", false, false, false, NOW).query().since())
        .isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
    assertThat(
            LogOptions.parse(-1, "2026-03-01T11:00:00+02:00", false, false, false, NOW)
                .query()
                .since())
        .isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
    assertThat(LogOptions.parse(-1, "5m", false, false, false, NOW).query().since())
        .isEqualTo(NOW.minusSeconds(300));
    assertThat(LogOptions.parse(-1, "1h30m", false, false, false, NOW).query().since())
        .isEqualTo(NOW.minusSeconds(5400));
    assertThat(LogOptions.parse(-1, "90s", false, false, false, NOW).query().since())
        .isEqualTo(NOW.minusSeconds(90));
    assertThat(LogOptions.parse(-1, null, false, false, false, NOW).query().since()).isNull();
  }

  @Test
  void aSinceThatIsNeitherIsRefusedNamingTheFieldAndTheForms() {
    for (String bad : new String[] {"yesterday", "5", "5d", "2026-03-01", "m"}) {
      assertThatThrownBy(() -> LogOptions.parse(-1, bad, false, false, false, NOW))
          .as(bad)
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("since");
    }
    assertThatThrownBy(() -> LogOptions.parse(100_001, null, false, false, false, NOW))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("tail");
  }
}
