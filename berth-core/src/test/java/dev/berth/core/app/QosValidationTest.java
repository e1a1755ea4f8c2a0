package dev.berth.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.support.Errors;
import dev.berth.core.support.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class QosValidationTest {
  static List<String> problems(Resources r) {
    Errors e = new Errors();
    AppValidator.validateResources(r, "resources", e);
    try {
      e.throwIfAny();
      return List.of();
    } catch (ValidationException v) {
      return v.errors().stream().map(f -> f.field() + ": " + f.message()).toList();
    }
  }

  @Test
  void guaranteedNeedsACpuGuaranteeAndAnEqualLimit() {
    assertThat(problems(new Resources(0.5, 0.5, 128, CpuPolicy.SHARES, 0, QosClass.GUARANTEED)))
        .isEmpty();
    assertThat(problems(new Resources(0.5, 0, 128, CpuPolicy.SHARES, 0, QosClass.GUARANTEED)))
        .singleElement()
        .asString()
        .startsWith("resources.qos: guaranteed needs resources.cpu > 0 and resources.cpuLimit");
    assertThat(problems(new Resources(0, 0, 128, CpuPolicy.SHARES, 0, QosClass.GUARANTEED)))
        .singleElement()
        .asString()
        .contains("choose burstable");
  }

  @Test
  void bestEffortRefusesACpuGuarantee() {
    assertThat(problems(new Resources(0, 2, 128, CpuPolicy.SHARES, 0, QosClass.BEST_EFFORT)))
        .isEmpty();
    assertThat(problems(new Resources(0.25, 0, 128, CpuPolicy.SHARES, 0, QosClass.BEST_EFFORT)))
        .singleElement()
        .asString()
        .startsWith("resources.qos: best-effort guarantees no CPU");
  }

  @Test
  void burstableMayBeChosenForAnyResources() {
    assertThat(problems(new Resources(1, 1, 128, CpuPolicy.SHARES, 0, QosClass.BURSTABLE)))
        .isEmpty();
    assertThat(new Resources(1, 1, 128, CpuPolicy.SHARES, 0, QosClass.BURSTABLE).qosClass())
        .isEqualTo(QosClass.BURSTABLE);
    assertThat(new Resources(1, 1, 128, CpuPolicy.SHARES, 0).qosClass())
        .isEqualTo(QosClass.GUARANTEED);
  }
}
