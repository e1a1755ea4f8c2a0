package dev.berth.core.task;

import dev.berth.core.app.AppValidator;
import dev.berth.core.support.Errors;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;

/** Checks a task request; every problem is reported with its field. */
final class TaskValidator {
  /** Run ids are {@code <task>-<number>}: room for the number within a DNS label. */
  static final int MAX_NAME = 40;

  static final int MAX_TIMEOUT = 7 * 24 * 3600;
  static final int MAX_RETRIES = 10;

  private TaskValidator() {}

  static void validate(TaskRequest r, Instant now, TaskScheduling scheduling, Errors errors) {
    errors.dnsLabel(r.name(), "name", MAX_NAME);
    if (r.team() != null && !r.team().isEmpty()) {
      errors.dnsLabel(r.team(), "team", 63);
    }
    TaskSpec spec = r.spec();
    AppValidator.validateImage(spec == null ? null : spec.image(), errors);
    if (spec != null) {
      AppValidator.checkCommand(spec.command(), "command", errors);
      AppValidator.checkCommand(spec.args(), "args", errors);
      AppValidator.validateEnv(spec.env(), errors);
      AppValidator.validateResources(spec.resources(), "resources", errors);
      AppValidator.validateSize(spec.env(), spec.command(), spec.args(), errors);
      validatePlacement(spec, r.mode(), errors);
      AppValidator.validateScheduling(spec.scheduling().asScheduling(), errors);
    }
    Trigger t = r.trigger() == null ? Trigger.now() : r.trigger();
    if (t.type() == null) {
      errors.add("trigger.type", "is required: 'now', 'at' or 'cron'");
    } else {
      switch (t.type()) {
        case NOW -> {}
        case AT -> {
          if (t.at() == null) {
            errors.add(
                "trigger.at",
                "is required for an 'at' trigger: an ISO-8601 instant such as 2030-01-31T02:00:00Z");
          } else if (!t.at().isAfter(now)) {
            errors.add("trigger.at", "must be in the future, was " + t.at() + " (now " + now + ")");
          }
        }
        case CRON -> {
          if (t.cron() == null || t.cron().isBlank()) {
            errors.add(
                "trigger.cron",
                "is required for a 'cron' trigger, e.g. '0 2 * * *' (02:00 every day)");
          } else if (t.cron().length() > 200) {
            errors.add("trigger.cron", "must be at most 200 characters");
          } else {
            String problem = scheduling.cronError(t.cron());
            if (problem != null) {
              errors.add("trigger.cron", problem);
            }
          }
          if (t.timezone() != null && !t.timezone().isBlank()) {
            try {
              ZoneId.of(t.timezone());
            } catch (DateTimeException e) {
              errors.add(
                  "trigger.timezone",
                  "must be an IANA time zone such as 'Europe/Paris' or 'UTC', was '"
                      + t.timezone()
                      + "'");
            }
          }
        }
      }
      if (t.startingDeadlineSeconds() != null && t.startingDeadlineSeconds() < 1) {
        errors.add(
            "trigger.startingDeadlineSeconds", "must be >= 1, was " + t.startingDeadlineSeconds());
      }
      if (r.mode() == RunMode.SYNC && t.type() != TriggerType.NOW) {
        errors.add(
            "mode", "'sync' needs a 'now' trigger: nobody waits for a scheduled run; use 'async'");
      }
    }
    if (r.timeoutSeconds() != null
        && (r.timeoutSeconds() <= 0 || r.timeoutSeconds() > MAX_TIMEOUT)) {
      errors.add(
          "timeoutSeconds",
          "must be between 1 and " + MAX_TIMEOUT + " (7 days), was " + r.timeoutSeconds());
    }
    if (r.retries() != null && (r.retries() < 0 || r.retries() > MAX_RETRIES)) {
      errors.add("retries", "must be between 0 and " + MAX_RETRIES + ", was " + r.retries());
    }
    if (r.waitSeconds() != null && (r.waitSeconds() < 1 || r.waitSeconds() > 3600)) {
      errors.add("waitSeconds", "must be between 1 and 3600, was " + r.waitSeconds());
    }
    validateCallback(r.callbackUrl(), r.callbackSecret(), errors);
  }

  /**
   * The window, its time zone and the idle threshold; offline work cannot choose a higher class.
   */
  private static void validatePlacement(TaskSpec spec, RunMode mode, Errors errors) {
    Placement p = spec.placement();
    if (p.window() != null) {
      String problem =
          p.window().length() > 40 ? "must be HH:MM-HH:MM" : RunWindow.problem(p.window());
      if (problem != null) {
        errors.add("window", problem);
      }
    }
    if (p.timeZone() != null) {
      if (p.window() == null) {
        errors.add("windowTimeZone", "applies to a window; give 'window' too, e.g. '01:00-06:00'");
      } else {
        try {
          ZoneId.of(p.timeZone());
        } catch (DateTimeException e) {
          errors.add(
              "windowTimeZone",
              "must be an IANA time zone such as 'Asia/Shanghai' or 'UTC', was '"
                  + p.timeZone()
                  + "'");
        }
      }
    }
    if (p.idle() != null && (p.idle() < 1 || p.idle() > 100)) {
      errors.add(
          "idle",
          "must be a percentage between 1 and 100 (the run starts when node CPU is below it), was "
              + p.idle());
    }
    if (p.kind() == Placement.Kind.OFFLINE
        && spec.resources().qos() != null
        && spec.resources().qos() != dev.berth.core.app.QosClass.BEST_EFFORT) {
      errors.add(
          "resources.qos",
          "offline work runs as best-effort; leave qos out or choose 'online' placement, was '"
              + spec.resources().qos()
              + "'");
    }
    if (mode == RunMode.SYNC && p.conditional()) {
      errors.add(
          "mode",
          "'sync' cannot wait for a window or an idle node: nobody waits that long; use 'async'");
    }
  }

  private static void validateCallback(String url, String secret, Errors errors) {
    if (url != null && !url.isBlank()) {
      if (url.length() > 2048) {
        errors.add("callbackUrl", "must be at most 2048 characters");
      } else {
        try {
          URI u = new URI(url);
          String scheme =
              u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
          if (!scheme.equals("http") && !scheme.equals("https")) {
            errors.add("callbackUrl", "must be an http or https URL, was '" + url + "'");
          } else if (u.getHost() == null || u.getHost().isBlank()) {
            errors.add("callbackUrl", "must name a host, e.g. https://ci.example.com/hooks/berth");
          }
        } catch (URISyntaxException e) {
          errors.add("callbackUrl", "is not a valid URL: " + e.getReason());
        }
      }
    }
    if (secret != null && (secret.length() < 16 || secret.length() > 256)) {
      errors.add(
          "callbackSecret",
          "must be between 16 and 256 characters (or left out to have one generated)");
    }
  }
}
