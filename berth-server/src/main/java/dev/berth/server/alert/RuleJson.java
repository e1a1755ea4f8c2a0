package dev.berth.server.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.core.alert.AlertRule;
import dev.berth.core.alert.Condition;
import dev.berth.core.alert.Durations;
import dev.berth.core.alert.RuleRequest;
import dev.berth.core.alert.Severity;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An alert rule on the wire and in the database: either {@code metric} (optionally divided by
 * {@code per}; {@code function} {@code value} or {@code increase} over {@code window}) compared by
 * {@code op} with {@code threshold}, or {@code events} (reasons) within {@code window}; {@code
 * for}, {@code severity}, {@code labels}, {@code match}. {@code builtIn} and {@code version} are
 * only answered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleJson(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "node-pids-high") String name,
    @Schema(example = "payments") String team,
    @Schema(example = "berth_node_pids") String metric,
    @Schema(example = "berth_node_pid_max") String per,
    @Schema(allowableValues = {"value", "increase"}) String function,
    @Schema(example = "10m") String window,
    @Schema(allowableValues = {">", ">=", "<", "<=", "==", "!="}) String op,
    @Schema(type = "number", example = "0.8") Object threshold,
    @JsonProperty("for") @Schema(example = "5m") String forDuration,
    @Schema(allowableValues = {"info", "warning", "critical"}) String severity,
    Map<String, String> labels,
    Map<String, String> match,
    List<String> events,
    String summary,
    Boolean enabled,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) Boolean builtIn,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) Long version) {

  RuleRequest toRequest() {
    return new RuleRequest(
        name,
        team,
        metric,
        per,
        function,
        window,
        op,
        threshold,
        forDuration,
        severity,
        labels,
        match,
        events,
        summary,
        enabled);
  }

  static RuleJson of(AlertRule r, Long version) {
    Condition c = r.condition();
    boolean events = c.isEventCondition();
    return new RuleJson(
        r.name(),
        r.team(),
        c.metric(),
        c.per(),
        events ? null : c.function().toString(),
        c.window().isZero() ? null : Durations.format(c.window()),
        events ? null : c.op().toString(),
        events ? null : c.threshold(),
        Durations.format(r.forDuration()),
        r.severity().toString(),
        r.labels(),
        c.match(),
        events ? c.events() : null,
        r.summary(),
        r.enabled(),
        r.builtIn(),
        version);
  }

  /** The stored rule, checked when it was written. */
  AlertRule toRule(boolean builtIn, boolean isEnabled) {
    Duration w = window == null ? Duration.ZERO : Durations.parse(window);
    Condition c =
        events != null && !events.isEmpty()
            ? new Condition(null, null, null, w, Condition.Op.GT, 0, events, match)
            : new Condition(
                metric,
                per,
                "increase".equals(function)
                    ? Condition.Function.INCREASE
                    : Condition.Function.VALUE,
                w,
                op == null ? Condition.Op.GT : Condition.Op.parse(op),
                ((Number) threshold).doubleValue(),
                List.of(),
                match);
    return new AlertRule(
        name,
        team,
        c,
        forDuration == null ? Duration.ZERO : Durations.parse(forDuration),
        severity == null ? Severity.WARNING : Severity.parse(severity),
        labels,
        summary,
        isEnabled,
        builtIn);
  }
}
