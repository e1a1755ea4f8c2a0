package dev.berth.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStatus;
import dev.berth.core.support.ValidationException;
import dev.berth.server.web.PreconditionFailedException;
import dev.berth.server.web.PreconditionRequiredException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppVersionsTest {
  static final App APP =
      new App(
          "web",
          "default",
          "admin",
          "local",
          new AppSpec("r/web:1", List.of(), List.of(), Map.of(), List.of(), null, null, null, null),
          1,
          1,
          Set.of(),
          false,
          7,
          AppStatus.initial(1),
          Instant.EPOCH,
          Instant.EPOCH);

  @Test
  void aReplacementWithoutAVersionIsRefusedNamingVersion() {
    assertThatThrownBy(() -> AppVersions.basedOn(APP, null, null, true))
        .isInstanceOf(PreconditionRequiredException.class)
        .satisfies(
            e -> assertThat(((PreconditionRequiredException) e).field()).isEqualTo("version"));
    assertThat(AppVersions.basedOn(APP, null, null, false)).isNull();
  }

  @Test
  void theBodysVersionOrIfMatchIsWhatTheChangeIsBasedOn() {
    assertThat(AppVersions.basedOn(APP, 5L, null, true)).isEqualTo(5L);
    assertThat(AppVersions.basedOn(APP, null, "\"7\"", true)).isEqualTo(7L);
    assertThat(AppVersions.basedOn(APP, null, "W/\"7\"", true)).isEqualTo(7L);
    assertThat(AppVersions.basedOn(APP, null, "*", true)).isEqualTo(7L);
  }

  @Test
  void aStaleIfMatchFailsAndAMalformedOneIsInvalid() {
    assertThatThrownBy(() -> AppVersions.basedOn(APP, null, "\"6\"", true))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> AppVersions.basedOn(APP, null, "seven", true))
        .isInstanceOf(ValidationException.class);
  }
}
