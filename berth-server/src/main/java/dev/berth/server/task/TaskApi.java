package dev.berth.server.task;

import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.support.Errors;
import dev.berth.core.support.Page;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunMode;
import dev.berth.core.task.RunQuery;
import dev.berth.core.task.RunState;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskService;
import dev.berth.server.support.exec.ExecRequestJson;
import dev.berth.server.support.exec.ExecResultJson;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Short-lived tasks and their runs: create, run now, list, cancel, exec into, read logs, delete.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(
    name = "tasks",
    description =
        "Short-lived tasks: run now, at a time or on cron; sync or async; runs and their logs")
public class TaskApi {
  static final int LOG_TAIL = 50;

  /** Where the run store stops counting. */
  private static final long RUN_COUNT_CAP = 10_000;

  private static final Duration MAX_SYNC_WAIT = Duration.ofHours(1);
  private final TaskOperations tasks;
  private final java.time.Clock clock;

  public TaskApi(TaskOperations tasks, java.time.Clock clock) {
    this.tasks = tasks;
    this.clock = clock;
  }

  @PostMapping("/tasks")
  @Operation(
      summary =
          "Create a task. With trigger 'now' it runs at once: mode 'sync' answers when the run ends (or 202 after waitSeconds), 'async' answers 202 with the run id."
              + " With a window or an idle threshold its runs wait (state 'waiting', the message says why) until the window opens and node CPU is below the threshold;"
              + " placement 'offline' runs them as best effort")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<TaskJson> create(@RequestBody TaskJson body) throws InterruptedException {
    TaskService.Created created = tasks.create(body.toRequest());
    Task task = created.task();
    URI location = URI.create("/api/v1/tasks/" + task.name());
    if (created.run().isEmpty()) {
      return ResponseEntity.created(location).body(json(task, created.callbackSecret(), null));
    }
    Run run = created.run().get();
    if (task.mode() == RunMode.ASYNC) {
      return ResponseEntity.accepted()
          .location(location)
          .body(json(task, created.callbackSecret(), RunJson.of(run)));
    }
    Duration wait =
        body.waitSeconds() != null
            ? Duration.ofSeconds(body.waitSeconds())
            : min(Duration.ofSeconds(task.timeoutSeconds() + 60L), MAX_SYNC_WAIT);
    Run ended = tasks.awaitEnd(run.id(), wait);
    if (!ended.state().isFinal()) {
      return ResponseEntity.accepted()
          .location(location)
          .body(json(task, created.callbackSecret(), RunJson.of(ended)));
    }
    return ResponseEntity.created(location)
        .body(json(task, created.callbackSecret(), RunJson.of(ended, logTail(ended.id()))));
  }

  @GetMapping("/tasks")
  @Operation(
      summary =
          "List tasks, a page at a time (send 'next' as cursor), with when each cron or at task fires next and its time zone")
  public ListJson<TaskJson> list(
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size,
      @RequestParam(required = false) String q) {
    return ListJson.of(tasks.list(q, ListJson.page(cursor, page), size), t -> json(t, null, null));
  }

  @GetMapping("/tasks/{task}")
  @Operation(summary = "One task with its trigger, when it fires next and its time zone")
  public TaskJson get(@PathVariable String task) {
    return json(tasks.get(task), null, null);
  }

  /** What deleting a task did: the kept runs deleted with it. */
  public record DeletedTaskJson(String task, java.util.List<String> deletedRuns, String message) {}

  @DeleteMapping("/tasks/{task}")
  @Operation(
      summary =
          "Delete a task and its schedule: its active runs are cancelled, its kept runs (failed with keepOnFailure) are deleted"
              + " with their containers and named in the answer; ended runs already reclaimed stay in the run history until swept")
  public DeletedTaskJson delete(@PathVariable String task) {
    java.util.List<String> runs = tasks.delete(task);
    return new DeletedTaskJson(
        task,
        runs,
        runs.isEmpty()
            ? "deleted task " + task
            : "deleted task "
                + task
                + " with its kept run(s) "
                + String.join(", ", runs)
                + " and their containers");
  }

  @PostMapping("/tasks/{task}/runs")
  @Operation(summary = "Run a task now, whatever its trigger; answers 202 with the run")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<RunJson> fire(@PathVariable String task) {
    Run run = tasks.fire(task);
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/runs/" + run.id()))
        .body(RunJson.of(run));
  }

  @GetMapping("/tasks/{task}/runs")
  @Operation(summary = "Runs of one task, newest first, filtered like GET /runs")
  public ListJson<RunJson> taskRuns(
      @PathVariable String task,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String until,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return runs(task, state, since, until, cursor, page, size);
  }

  @GetMapping("/runs")
  @Operation(
      summary =
          "Runs, newest first, filtered by task, state and creation time (RFC 3339), a page at a time (send 'next' as cursor);"
              + " total is given up to 10000")
  public ListJson<RunJson> runs(
      @RequestParam(required = false) String task,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String until,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    Errors errors = new Errors();
    RunState s = state(state, errors);
    Instant from = instant(since, "since", errors);
    Instant to = instant(until, "until", errors);
    errors.throwIfAny();
    Page<Run> p = tasks.runs(new RunQuery(task, s, from, to, ListJson.page(cursor, page), size));
    return ListJson.of(p, RunJson::of, RUN_COUNT_CAP);
  }

  @GetMapping("/runs/{run}")
  @Operation(
      summary =
          "One run: state, attempts, times, exit code and reason, whether its container is reclaimed")
  public RunJson run(@PathVariable String run) {
    return RunJson.of(tasks.run(run));
  }

  @DeleteMapping("/runs/{run}")
  @Operation(
      summary =
          "Delete a run: stopped if running, its container and filesystem reclaimed, the record removed")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public ResponseEntity<Void> deleteRun(@PathVariable String run) {
    tasks.deleteRun(run);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/runs/{run}/cancel")
  @Operation(
      summary =
          "Cancel a run: a running one gets SIGTERM, a grace period, SIGKILL; a queued or waiting one ends cancelled at once")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<RunJson> cancel(@PathVariable String run) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(RunJson.of(tasks.cancel(run)));
  }

  @PostMapping("/runs/{run}/exec")
  @Operation(
      summary =
          "Run a command inside a running run, or on the kept filesystem of a failed run (keepOnFailure), for debugging;"
              + " answers its exit code and output (at most 64 KiB) once it ends or timeoutSeconds passes")
  @ApiResponse(responseCode = "200", description = "The command ran; its exit code and output")
  @ApiResponse(
      responseCode = "400",
      description = "command is empty or timeoutSeconds is outside 1 to 300; the field is named")
  @ApiResponse(
      responseCode = "409",
      description = "The run's filesystem is gone (reclaimed), with the reason")
  @ApiResponse(
      responseCode = "429",
      description =
          "Too many execs run at once (berth.exec.max-per-user per user, berth.exec.max-concurrent"
              + " in this Berth); try again after Retry-After")
  public ExecResultJson exec(@PathVariable String run, @RequestBody ExecRequestJson body) {
    TaskOperations.ExecOutcome r = tasks.exec(run, body.command(), body.timeoutSeconds());
    return new ExecResultJson(r.exitCode(), r.output(), r.timedOut(), r.truncated());
  }

  @GetMapping(value = "/runs/{run}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(
      summary =
          "Console log of a run (kept after reclaim): lines since `since`, of those the last `tail`, then new lines with follow=true;"
              + " timestamps=true prefixes each line with its RFC 3339 time, streams=true with stdout or stderr")
  public ResponseEntity<StreamingResponseBody> logs(
      @PathVariable String run,
      @RequestParam(defaultValue = "-1") int tail,
      @io.swagger.v3.oas.annotations.Parameter(
              description =
                  "an RFC 3339 time (2026-03-01T10:00:00Z) or a duration back from now (90s, 5m, 1h30m)")
          @RequestParam(required = false)
          String since,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(defaultValue = "false") boolean timestamps,
      @RequestParam(defaultValue = "false") boolean streams) {
    dev.berth.server.web.LogOptions options =
        dev.berth.server.web.LogOptions.parse(
            tail, since, follow, timestamps, streams, java.time.Instant.now(clock));
    return dev.berth.server.web.LogResponses.of(tasks.logs(run, options.query()), options);
  }

  private TaskJson json(Task task, String shownSecret, RunJson run) {
    return TaskJson.of(task, shownSecret, run, tasks.nextFire(task).orElse(null));
  }

  private String logTail(String runId) {
    StringBuilder sb = new StringBuilder();
    try (LogStream s = tasks.logs(runId, new LogQuery(LOG_TAIL, false))) {
      while (!s.ended()) {
        Optional<dev.berth.core.runtime.LogLine> line = s.next(Duration.ZERO);
        if (line.isEmpty()) {
          break;
        }
        sb.append(line.get().render(false, false)).append('\n');
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      return "(log unavailable: " + e.getMessage() + ")";
    }
    return sb.toString();
  }

  private static RunState state(String state, Errors errors) {
    if (state == null || state.isBlank()) {
      return null;
    }
    try {
      return RunState.valueOf(state.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(
          "state",
          "must be one of queued, starting, running, succeeded, failed, timed_out, cancelled; was '"
              + state
              + "'");
      return null;
    }
  }

  private static Instant instant(String value, String field, Errors errors) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(
          field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was '" + value + "'");
      return null;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
