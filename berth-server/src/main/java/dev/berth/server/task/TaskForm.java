package dev.berth.server.task;

import dev.berth.core.app.Resources;
import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import dev.berth.core.task.Placement;
import dev.berth.core.task.RunMode;
import dev.berth.core.task.RunScheduling;
import dev.berth.core.task.TaskRequest;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.task.Trigger;
import dev.berth.core.task.TriggerType;
import dev.berth.server.portal.CommandLine;
import dev.berth.server.portal.FormErrors;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The create-task form as the user typed it. {@link #toRequest} reads it into the {@link
 * TaskRequest} the API builds from JSON; the command is one line split like a shell does ({@link
 * CommandLine}), env {@code KEY=value} lines. The mode is {@code sync} for a run that starts now
 * and {@code async} for a scheduled one unless the user picks one.
 */
public class TaskForm {
  private String name = "";
  private String team = "";
  private String image = "";
  private String command = "";
  private String env = "";
  private String triggerType = "now";
  private String at = "";
  private String cron = "";
  private String timezone = "";
  private String mode = "";
  private String timeoutSeconds = "300";
  private String memoryMiB = "";
  private boolean keepOnFailure;
  private String placement = "online";
  private String window = "";
  private String windowTimeZone = "";
  private String idle = "";
  private String pool = "";

  /**
   * The request this form asks for. @throws ValidationException naming every field the form cannot
   * read
   */
  public TaskRequest toRequest() {
    return parse().orThrow();
  }

  /** The request with what the form could not read left empty, and those reading errors. */
  public FormErrors.Parsed<TaskRequest> parse() {
    List<FieldError> errors = new ArrayList<>();
    TriggerType type =
        switch (triggerType == null ? "now" : triggerType.strip().toLowerCase(Locale.ROOT)) {
          case "at" -> TriggerType.AT;
          case "cron" -> TriggerType.CRON;
          default -> TriggerType.NOW;
        };
    Instant when = null;
    if (type == TriggerType.AT && at != null && !at.isBlank()) {
      try {
        when = Instant.parse(at.strip());
      } catch (DateTimeParseException e) {
        errors.add(
            new FieldError(
                "trigger.at", "must be an instant such as 2026-01-31T12:00:00Z, was '" + at + "'"));
      }
    }
    Trigger trigger =
        new Trigger(
            type,
            when,
            type == TriggerType.CRON ? blankToNull(cron) : null,
            type == TriggerType.CRON ? blankToNull(timezone) : null,
            null);
    Integer timeout = whole(timeoutSeconds, "timeoutSeconds", errors);
    Integer memory = whole(memoryMiB, "resources.memoryMiB", errors);
    Integer idlePercent = whole(idle, "idle", errors);
    Placement where =
        new Placement(
            "offline".equalsIgnoreCase(placement == null ? "" : placement.strip())
                ? Placement.Kind.OFFLINE
                : Placement.Kind.ONLINE,
            blankToNull(window),
            blankToNull(windowTimeZone),
            idlePercent);
    Map<String, String> envMap = new LinkedHashMap<>();
    for (String line : lines(env)) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        errors.add(new FieldError("env", "each line must be KEY=value, was '" + line + "'"));
      } else {
        envMap.put(line.substring(0, eq).strip(), line.substring(eq + 1));
      }
    }
    List<String> args = List.of();
    try {
      args = CommandLine.split(command, "command");
    } catch (ValidationException e) {
      errors.addAll(e.errors());
    }
    Resources resources =
        memory == null ? null : new Resources(Resources.DEFAULT.cpu(), 0, memory, null, 0);
    TaskSpec spec =
        new TaskSpec(
            image == null ? null : image.strip(),
            args,
            List.of(),
            envMap,
            resources,
            where,
            new RunScheduling(blankToNull(pool), null));
    TaskRequest request =
        new TaskRequest(
            name == null ? null : name.strip(),
            team == null || team.isBlank() ? null : team.strip(),
            null,
            spec,
            trigger,
            mode(type, where),
            null,
            null,
            timeout,
            null,
            keepOnFailure,
            null,
            null);
    return new FormErrors.Parsed<>(request, errors);
  }

  /**
   * The chosen mode; left to the default, the user waits for a run that starts now and not for a
   * scheduled one or one that may wait for its window or an idle node.
   */
  private RunMode mode(TriggerType type, Placement where) {
    return switch (mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT)) {
      case "sync" -> RunMode.SYNC;
      case "async" -> RunMode.ASYNC;
      default -> type == TriggerType.NOW && !where.conditional() ? RunMode.SYNC : RunMode.ASYNC;
    };
  }

  /**
   * How the server splits the command line, for the form to show; empty when it cannot be split.
   */
  public List<String> getCommandArgs() {
    try {
      return CommandLine.split(command, "command");
    } catch (ValidationException e) {
      return List.of();
    }
  }

  /** The form field that shows an API field's error; "" for those the form does not show. */
  public static String formField(String apiField) {
    if (apiField.startsWith("trigger.")) {
      String f = apiField.substring("trigger.".length());
      return f.equals("type") ? "triggerType" : f.equals("startingDeadlineSeconds") ? "" : f;
    }
    if (apiField.startsWith("env")) {
      return "env";
    }
    if (apiField.startsWith("command")) {
      return "command";
    }
    return switch (apiField) {
      case "name", "team", "image", "mode", "timeoutSeconds", "window", "windowTimeZone", "idle" ->
          apiField;
      case "resources.memoryMiB" -> "memoryMiB";
      case "scheduling.pool" -> "pool";
      default -> "";
    };
  }

  /** The errors of a refused request by form field; "" holds those without a field on the form. */
  public static Map<String, List<String>> errorsByField(List<FieldError> errors) {
    return FormErrors.byField(errors, TaskForm::formField);
  }

  private static List<String> lines(String text) {
    return text == null
        ? List.of()
        : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Integer whole(String text, String field, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(text.strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(field, "must be a whole number, was '" + text + "'"));
      return null;
    }
  }

  // Getters and setters for form binding.
  public String getName() {
    return name;
  }

  public void setName(String v) {
    name = v;
  }

  public String getTeam() {
    return team;
  }

  public void setTeam(String v) {
    team = v;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String v) {
    image = v;
  }

  public String getCommand() {
    return command;
  }

  public void setCommand(String v) {
    command = v;
  }

  public String getEnv() {
    return env;
  }

  public void setEnv(String v) {
    env = v;
  }

  public String getTriggerType() {
    return triggerType;
  }

  public void setTriggerType(String v) {
    triggerType = v;
  }

  public String getAt() {
    return at;
  }

  public void setAt(String v) {
    at = v;
  }

  public String getCron() {
    return cron;
  }

  public void setCron(String v) {
    cron = v;
  }

  public String getTimezone() {
    return timezone;
  }

  public void setTimezone(String v) {
    timezone = v;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String v) {
    mode = v;
  }

  public String getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(String v) {
    timeoutSeconds = v;
  }

  public String getMemoryMiB() {
    return memoryMiB;
  }

  public void setMemoryMiB(String v) {
    memoryMiB = v;
  }

  public boolean isKeepOnFailure() {
    return keepOnFailure;
  }

  public void setKeepOnFailure(boolean v) {
    keepOnFailure = v;
  }

  public String getPool() {
    return pool;
  }

  public void setPool(String v) {
    pool = v;
  }

  public String getPlacement() {
    return placement;
  }

  public void setPlacement(String v) {
    placement = v;
  }

  public String getWindow() {
    return window;
  }

  public void setWindow(String v) {
    window = v;
  }

  public String getWindowTimeZone() {
    return windowTimeZone;
  }

  public void setWindowTimeZone(String v) {
    windowTimeZone = v;
  }

  public String getIdle() {
    return idle;
  }

  public void setIdle(String v) {
    idle = v;
  }
}
