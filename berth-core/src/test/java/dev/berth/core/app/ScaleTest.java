package dev.berth.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ValidationException;
import org.junit.jupiter.api.Test;

class ScaleTest {
  @Test
  void refusesAMissingCountNamingTheField() {
    assertThatThrownBy(() -> Scale.of(null))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(f -> assertThat(f.field()).isEqualTo("instances")));
  }

  @Test
  void refusesCountsOutsideZeroToTheMaximumSayingWhatWasSent() {
    assertThatThrownBy(() -> Scale.of(-1)).hasMessageContaining("must be >= 0, was -1");
    assertThatThrownBy(() -> new Scale(AppValidator.MAX_INSTANCES + 1))
        .hasMessageContaining("must be <= " + AppValidator.MAX_INSTANCES);
  }

  @Test
  void acceptsZeroAndTheMaximum() {
    assertThat(Scale.of(0).instances()).isZero();
    assertThat(Scale.of(AppValidator.MAX_INSTANCES).instances())
        .isEqualTo(AppValidator.MAX_INSTANCES);
  }
}
