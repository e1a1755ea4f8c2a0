package dev.berth.server.resize;

import dev.berth.core.app.App;
import dev.berth.core.release.ResizeRequest;
import dev.berth.server.portal.Flash;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The resize form of the app page (rendered with the page, or alone here) and its action: one call
 * of {@link ResizeOperations}, as in the API; the outcome (resized live, or released and why, or
 * the refusal) is the flash of the app page.
 */
@Controller
@RequestMapping("/apps/{name}/resize")
public class ResizePages {
  private final ResizeOperations resizes;

  public ResizePages(ResizeOperations resizes) {
    this.resizes = resizes;
  }

  @GetMapping("/form")
  public String form(@PathVariable String name, Model model) {
    App app = resizes.get(name);
    model.addAttribute("app", app);
    model.addAttribute("canResize", resizes.can(app));
    return "resize/form :: form";
  }

  @PostMapping
  public String resize(
      @PathVariable String name,
      @RequestParam(required = false) String cpu,
      @RequestParam(required = false) String cpuLimit,
      @RequestParam(required = false) String memoryMiB,
      RedirectAttributes flash) {
    Flash.run(
        flash,
        () ->
            resizes
                .resize(
                    name,
                    new ResizeRequest(
                        number(cpu, "resources.cpu"),
                        number(cpuLimit, "resources.cpuLimit"),
                        memory(memoryMiB),
                        null))
                .message());
    return "redirect:/apps/" + name;
  }

  private static Double number(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Double.valueOf(value.strip());
    } catch (NumberFormatException e) {
      throw dev.berth.core.support.ValidationException.of(field, "is not a number: " + value);
    }
  }

  private static Integer memory(String value) {
    Double d = number(value, "resources.memoryMiB");
    if (d != null && d != Math.rint(d)) {
      throw dev.berth.core.support.ValidationException.of(
          "resources.memoryMiB", "must be a whole number of MiB, was " + value);
    }
    return d == null ? null : d.intValue();
  }
}
