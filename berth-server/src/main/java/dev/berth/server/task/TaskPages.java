package dev.berth.server.task;

import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.support.BerthException;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Page;
import dev.berth.core.support.ValidationException;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunMode;
import dev.berth.core.task.RunQuery;
import dev.berth.core.task.RunState;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskRequest;
import dev.berth.core.task.TaskService;
import dev.berth.server.portal.Flash;
import dev.berth.server.portal.FormErrors;
import dev.berth.server.portal.Paging;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Short tasks in the portal: the run list, the tasks, the create-task form and a run's page with
 * its log. Every action is one call of {@link TaskOperations}, as in the API (same permissions,
 * same audit log).
 */
@Controller
public class TaskPages {
  static final int PAGE_SIZE = 20;
  static final int LOG_LINES = 1000;

  /** How long the create form waits for a sync run before showing its page anyway. */
  static final Duration SYNC_WAIT = Duration.ofSeconds(60);

  private final TaskOperations tasks;

  public TaskPages(TaskOperations tasks) {
    this.tasks = tasks;
  }

  @GetMapping("/tasks")
  public String list(
      @RequestParam(defaultValue = "") String task,
      @RequestParam(defaultValue = "") String state,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    RunState s = state(state);
    Page<Run> runs =
        tasks.runs(
            new RunQuery(
                task.isBlank() ? null : task.strip(), s, null, null, Math.max(0, page), PAGE_SIZE));
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("task", task);
    filters.put("state", s == null ? "" : s.toString());
    model.addAttribute("runs", runs.items());
    model.addAttribute("paging", Paging.of(runs, "/tasks", filters));
    model.addAttribute("task", task);
    model.addAttribute("state", s == null ? "" : s.toString());
    model.addAttribute("states", RunState.values());
    Page<Task> shown = tasks.list("", 0, 50);
    Map<String, String> runTeams = tasks.teamsOf(runs.items());
    List<String> teams = new ArrayList<>(runTeams.values());
    shown.items().forEach(t -> teams.add(t.team()));
    model.addAttribute("tasks", shown);
    Map<String, Instant> nextFires = new LinkedHashMap<>();
    shown.items().forEach(t -> tasks.nextFire(t).ifPresent(at -> nextFires.put(t.name(), at)));
    model.addAttribute("nextFires", nextFires);
    model.addAttribute("runTeams", runTeams);
    model.addAttribute("runPools", tasks.poolsOf(runs.items(), shown.items()));
    model.addAttribute("canIn", tasks.permissionsIn(teams));
    return "tasks/list";
  }

  @GetMapping("/tasks/new")
  public String createForm(Model model) {
    model.addAttribute("form", new TaskForm());
    model.addAttribute("errors", Map.of());
    return "tasks/form";
  }

  @PostMapping("/tasks/new")
  public String create(@ModelAttribute("form") TaskForm form, Model model, RedirectAttributes flash)
      throws InterruptedException {
    FormErrors.Parsed<TaskRequest> parsed = form.parse();
    if (!parsed.errors().isEmpty()) {
      model.addAttribute(
          "errors",
          TaskForm.errorsByField(
              FormErrors.merge(
                  parsed.errors(), tasks.problems(parsed.request()), TaskForm::formField)));
      return "tasks/form";
    }
    TaskService.Created created;
    try {
      created = tasks.create(parsed.request());
    } catch (ValidationException e) {
      model.addAttribute("errors", TaskForm.errorsByField(e.errors()));
      return "tasks/form";
    } catch (ConflictException e) {
      model.addAttribute("errors", Map.of("name", List.of(e.getMessage())));
      return "tasks/form";
    } catch (dev.berth.server.access.ForbiddenException e) {
      model.addAttribute("errors", Map.of("team", List.of(e.getMessage())));
      return "tasks/form";
    }
    Task task = created.task();
    if (created.run().isEmpty()) {
      flash.addFlashAttribute(
          "notice", "Created task " + task.name() + "; it runs " + describe(task));
      return "redirect:/tasks?task=" + task.name();
    }
    Run run = created.run().get();
    if (task.mode() == RunMode.SYNC) {
      run = tasks.awaitEnd(run.id(), SYNC_WAIT);
    }
    flash.addFlashAttribute(
        "notice", "Created task " + task.name() + "; run " + run.id() + " is " + run.state());
    return "redirect:/runs/" + run.id();
  }

  @PostMapping("/tasks/{name}/fire")
  public String fire(@PathVariable String name, RedirectAttributes flash) {
    List<String> started = new ArrayList<>();
    boolean ok =
        Flash.run(
            flash,
            () -> {
              Run run = tasks.fire(name);
              started.add(run.id());
              return "Started run " + run.id();
            });
    return ok ? "redirect:/runs/" + started.getFirst() : "redirect:/tasks";
  }

  @PostMapping("/tasks/{name}/delete")
  public String deleteTask(@PathVariable String name, RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          List<String> runs = tasks.delete(name);
          return "Deleted task "
              + name
              + (runs.isEmpty()
                  ? ""
                  : " with its kept run(s) " + String.join(", ", runs) + " and their containers");
        });
    return "redirect:/tasks";
  }

  @GetMapping("/runs/{id}")
  public String run(@PathVariable String id, Model model) {
    Run run = tasks.run(id);
    model.addAttribute("run", run);
    model.addAttribute("pool", tasks.poolsOf(List.of(run)).get(run.id()));
    model.addAttribute("can", tasks.permissionsOn(run));
    model.addAttribute("log", log(id));
    return "tasks/run";
  }

  @PostMapping("/runs/{id}/cancel")
  public String cancel(@PathVariable String id, RedirectAttributes flash) {
    Flash.run(flash, () -> "Run " + id + " is " + tasks.cancel(id).state());
    return "redirect:/runs/" + id;
  }

  @PostMapping("/runs/{id}/delete")
  public String deleteRun(@PathVariable String id, RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          tasks.deleteRun(id);
          return "Deleted run " + id + "; its container and files are reclaimed";
        });
    return "redirect:/tasks";
  }

  /** The last {@value #LOG_LINES} lines of a run's log, or why there is none. */
  private List<String> log(String id) {
    List<String> lines = new ArrayList<>();
    try (LogStream stream = tasks.logs(id, new LogQuery(LOG_LINES, false))) {
      int empty = 0;
      while (!stream.ended() && empty < 3) {
        Optional<String> line = stream.next(Duration.ofMillis(100)).map(l -> l.render(true, false));
        line.ifPresent(lines::add);
        empty = line.isPresent() ? 0 : empty + 1;
      }
    } catch (BerthException e) {
      lines.add("(no log: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return lines;
  }

  private static String describe(Task task) {
    return switch (task.trigger().type()) {
      case NOW -> "now";
      case AT -> "at " + task.trigger().at();
      case CRON ->
          "on cron '"
              + task.trigger().cron()
              + "'"
              + (task.trigger().timezone() == null ? "" : " (" + task.trigger().timezone() + ")");
    };
  }

  private static RunState state(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    try {
      return RunState.valueOf(state.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
