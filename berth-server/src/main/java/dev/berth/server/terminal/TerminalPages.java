package dev.berth.server.terminal;

import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.ForbiddenException;
import dev.berth.server.support.exec.TooManyExecsException;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The portal's terminal page (xterm.js): into an instance from the app page, into a run from its
 * page. The checks run before the page shows a terminal, so a refusal is shown with its reason (a
 * browser cannot read a refused WebSocket's answer). An instance's page also runs one command
 * without a terminal ({@link InstanceExec}) and shows its output and exit code.
 */
@Controller
public class TerminalPages {
  private final TerminalOperations terminals;
  private final InstanceExec exec;

  public TerminalPages(TerminalOperations terminals, InstanceExec exec) {
    this.terminals = terminals;
    this.exec = exec;
  }

  @GetMapping("/apps/{app}/instances/{instance}/terminal")
  String instance(@PathVariable String app, @PathVariable String instance, Model model) {
    model.addAttribute("back", "/apps/" + app);
    model.addAttribute("backLabel", app);
    model.addAttribute("execAction", "/apps/" + app + "/instances/" + instance + "/exec");
    return page(
        model,
        instance,
        "/api/v1/apps/" + app + "/instances/" + instance + "/terminal",
        () -> terminals.checkInstance(app, instance));
  }

  /**
   * Runs the typed line with {@code sh -c} in the instance: the result alone for htmx (the terminal
   * above stays connected), else the whole page with it.
   */
  @PostMapping("/apps/{app}/instances/{instance}/exec")
  String exec(
      @PathVariable String app,
      @PathVariable String instance,
      @RequestParam(defaultValue = "") String command,
      @RequestParam(required = false) String timeoutSeconds,
      @RequestHeader(name = "HX-Request", required = false) String htmx,
      Model model) {
    model.addAttribute("execCommand", command);
    try {
      List<String> argv = command.isBlank() ? List.of() : List.of("sh", "-c", command);
      model.addAttribute("execResult", exec.run(app, instance, argv, seconds(timeoutSeconds)));
    } catch (ValidationException
        | ForbiddenException
        | ConflictException
        | NotFoundException
        | TooManyExecsException
        | RuntimeFailure e) {
      model.addAttribute("execError", e.getMessage());
    }
    return htmx != null ? "terminal/exec :: result" : instance(app, instance, model);
  }

  @GetMapping("/runs/{run}/terminal")
  String run(@PathVariable String run, Model model) {
    model.addAttribute("back", "/runs/" + run);
    model.addAttribute("backLabel", "run " + run);
    return page(model, run, "/api/v1/runs/" + run + "/terminal", () -> terminals.checkRun(run));
  }

  private static Integer seconds(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.strip());
    } catch (NumberFormatException e) {
      throw ValidationException.of(
          "timeoutSeconds", "must be a whole number of seconds from 1 to 300, was " + value);
    }
  }

  private static String page(
      Model model, String name, String socket, Supplier<TerminalTarget> check) {
    model.addAttribute("name", name);
    model.addAttribute("socket", socket);
    try {
      check.get();
    } catch (ForbiddenException | ConflictException e) {
      model.addAttribute("refused", e.getMessage());
    }
    return "terminal/page";
  }
}
