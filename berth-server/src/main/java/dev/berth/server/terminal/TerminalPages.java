package dev.berth.server.terminal;

import dev.berth.core.support.ConflictException;
import dev.berth.server.access.ForbiddenException;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The portal's terminal page (xterm.js): into an instance from the app page, into a run from its
 * page. The checks run before the page shows a terminal, so a refusal is shown with its reason (a
 * browser cannot read a refused WebSocket's answer).
 */
@Controller
public class TerminalPages {
  private final TerminalOperations terminals;

  public TerminalPages(TerminalOperations terminals) {
    this.terminals = terminals;
  }

  @GetMapping("/apps/{app}/instances/{instance}/terminal")
  String instance(@PathVariable String app, @PathVariable String instance, Model model) {
    model.addAttribute("back", "/apps/" + app);
    model.addAttribute("backLabel", app);
    return page(
        model,
        instance,
        "/api/v1/apps/" + app + "/instances/" + instance + "/terminal",
        () -> terminals.checkInstance(app, instance));
  }

  @GetMapping("/runs/{run}/terminal")
  String run(@PathVariable String run, Model model) {
    model.addAttribute("back", "/runs/" + run);
    model.addAttribute("backLabel", "run " + run);
    return page(model, run, "/api/v1/runs/" + run + "/terminal", () -> terminals.checkRun(run));
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
