package dev.berth.server.task;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.core.app.Resources;
import dev.berth.core.task.ConcurrencyPolicy;
import dev.berth.core.task.Placement;
import dev.berth.core.task.RunMode;
import dev.berth.core.task.RunScheduling;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskRequest;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.task.Trigger;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A task as the API reads and writes it. {@code callbackSecret} is accepted on create and shown
 * only in the create answer when Berth generated it; it is never returned afterwards. {@code run}
 * carries the run started by a {@code now} trigger. {@code nextFireAt} and {@code timezone} say
 * when a cron or at task fires next and in which time zone its trigger is read. {@code placement}
 * ({@code online} by default, {@code offline} runs as best effort), {@code window} with {@code
 * windowTimeZone} and {@code idle} (node CPU below this percentage) hold its runs in {@code
 * waiting} until they are met. {@code scheduling.pool} places the runs on a machine pool.
 */
public record TaskJson(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "nightly-report") String name,
    String team,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String owner,
    String cluster,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            example = "registry.example.com/shop/report:1")
        String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    Resources resources,
    Trigger trigger,
    RunMode mode,
    String callbackUrl,
    String callbackSecret,
    Integer timeoutSeconds,
    Integer retries,
    Boolean keepOnFailure,
    ConcurrencyPolicy concurrency,
    Integer waitSeconds,
    @Schema(description = "online (default) or offline: offline runs as best effort")
        Placement.Kind placement,
    @Schema(
            description =
                "Runs start only inside this daily window, HH:MM-HH:MM, may wrap midnight",
            example = "01:00-06:00")
        String window,
    @Schema(
            description = "The IANA time zone the window is read in; UTC by default",
            example = "Asia/Shanghai")
        String windowTimeZone,
    @Schema(
            description = "Runs start only while node CPU is below this percentage (1-100)",
            example = "30")
        Integer idle,
    @Schema(
            description =
                "Where runs are placed: 'pool' names a machine pool of the task's cluster (on"
                    + " Kubernetes its node selector and the toleration of its taint), 'nodeLabels'"
                    + " are further labels the node must carry")
        RunScheduling scheduling,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Instant createdAt,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) Instant nextFireAt,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String timezone,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) RunJson run) {

  /** Without the callback secret, so that no log line carries it. */
  @Override
  public String toString() {
    return "TaskJson[name="
        + name
        + ", cluster="
        + cluster
        + ", image="
        + image
        + ", trigger="
        + trigger
        + ", mode="
        + mode
        + ", callbackUrl="
        + callbackUrl
        + ", callbackSecret="
        + (callbackSecret == null ? null : "***")
        + "]";
  }

  TaskRequest toRequest() {
    return new TaskRequest(
        name,
        team,
        cluster,
        new TaskSpec(
            image,
            command,
            args,
            env,
            resources,
            new Placement(placement, window, windowTimeZone, idle),
            scheduling),
        trigger,
        mode,
        callbackUrl,
        callbackSecret,
        timeoutSeconds,
        retries,
        keepOnFailure,
        concurrency,
        waitSeconds);
  }

  /**
   * @param nextFireAt when a cron or at task fires next (null for none)
   */
  static TaskJson of(Task t, String shownSecret, RunJson run, Instant nextFireAt) {
    TaskSpec s = t.spec();
    return new TaskJson(
        t.name(),
        t.team(),
        t.owner(),
        t.cluster(),
        s.image(),
        s.command(),
        s.args(),
        s.env(),
        s.resources(),
        t.trigger(),
        t.mode(),
        t.callbackUrl(),
        shownSecret,
        t.timeoutSeconds(),
        t.retries(),
        t.keepOnFailure(),
        t.concurrency(),
        null,
        s.placement().kind(),
        s.placement().window(),
        s.placement().window() == null ? null : s.placement().zoneOrUtc(),
        s.placement().idle(),
        s.scheduling(),
        t.createdAt(),
        nextFireAt,
        timezone(t.trigger()),
        run);
  }

  /**
   * The time zone a cron or at trigger is read in: its own, UTC by default; none for a {@code now}
   * trigger.
   */
  static String timezone(Trigger trigger) {
    if (trigger == null || trigger.type() == dev.berth.core.task.TriggerType.NOW) {
      return null;
    }
    return trigger.timezone() == null || trigger.timezone().isBlank() ? "UTC" : trigger.timezone();
  }
}
