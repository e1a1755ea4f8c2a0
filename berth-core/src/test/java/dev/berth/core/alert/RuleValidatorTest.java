package dev.berth.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleValidatorTest {
  final RuleValidator validator = new RuleValidator(KnownMetrics.names(java.util.Set.of()));

  static RuleRequest request(String metric, Object threshold, String forDuration) {
    return new RuleRequest(
        "pids",
        null,
        metric,
        null,
        null,
        null,
        ">",
        threshold,
        forDuration,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static List<String> fields(Runnable r) {
    try {
      r.run();
    } catch (ValidationException e) {
      return e.errors().stream().map(ValidationException.FieldError::field).toList();
    }
    return List.of();
  }

  @Test
  void buildsARatioRuleWithItsForDuration() {
    AlertRule rule =
        validator.validate(
            new RuleRequest(
                "pids-high",
                "payments",
                "berth_node_pids",
                "berth_node_pid_max",
                "value",
                null,
                ">=",
                0.8,
                "5m",
                "critical",
                Map.of("page", "yes"),
                Map.of("node", "n1"),
                null,
                null,
                null),
            false);
    assertThat(rule.forDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(rule.condition().describe())
        .isEqualTo("berth_node_pids / berth_node_pid_max >= 0.8");
    assertThat(rule.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(rule.enabled()).isTrue();
  }

  @Test
  void namesAnUnknownMetricANegativeForAndAThresholdOfTheWrongType() {
    assertThat(fields(() -> validator.validate(request("berth_no_such", 1, "1m"), false)))
        .containsExactly("metric");
    assertThat(fields(() -> validator.validate(request("berth_node_pids", 1, "-5m"), false)))
        .containsExactly("for");
    assertThatThrownBy(() -> validator.validate(request("berth_node_pids", "high", "1m"), false))
        .hasMessageContaining("threshold")
        .hasMessageContaining("must be a number");
    assertThat(fields(() -> validator.validate(request(null, null, "soon"), false)))
        .containsExactly("metric", "threshold", "for");
  }

  @Test
  void anIncreaseOrEventRuleNeedsAWindow() {
    RuleRequest r =
        new RuleRequest(
            "moved",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of("Evicted"),
            null,
            null);
    assertThat(fields(() -> validator.validate(r, false))).containsExactly("window");
  }

  @Test
  void everyDefaultRuleNamesKnownMetrics() {
    for (AlertRule rule : DefaultRules.all()) {
      Condition c = rule.condition();
      if (!c.isEventCondition()) {
        assertThat(KnownMetrics.names(java.util.Set.of())).contains(c.metric());
      }
    }
    assertThat(DefaultRules.all()).extracting(AlertRule::name).doesNotHaveDuplicates().hasSize(9);
  }
}
