package dev.berth.server.autoscale;

import dev.berth.core.app.App;
import dev.berth.core.autoscale.AutoscalePolicy;
import dev.berth.core.support.Errors;
import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import dev.berth.server.access.Permission;
import dev.berth.server.app.AppOperations;
import dev.berth.server.portal.FormErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * An app's autoscaling in the portal: the policy form (the autoscale action of the application
 * list), the chart of decisions and their table, and the summary the app page loads. Every action
 * is one call of {@link AutoscaleOperations}, as in the API.
 */
@Controller
@RequestMapping("/apps/{name}/autoscale")
public class AutoscalePages {
  private final AutoscaleOperations autoscaling;
  private final AppOperations apps;

  public AutoscalePages(AutoscaleOperations autoscaling, AppOperations apps) {
    this.autoscaling = autoscaling;
    this.apps = apps;
  }

  @GetMapping
  public String page(@PathVariable String name, Model model) {
    AutoscaleOperations.View view = autoscaling.get(name);
    return render(name, view, AutoscaleForm.of(view.policy()), Map.of(), model);
  }

  @PostMapping
  public String save(
      @PathVariable String name,
      @ModelAttribute AutoscaleForm form,
      Model model,
      RedirectAttributes flash) {
    AutoscaleOperations.View view = autoscaling.get(name);
    Errors reading = new Errors();
    AutoscalePolicy policy = form.policy(view.policy(), reading);
    List<FieldError> errors = new ArrayList<>(reading.list());
    if (errors.isEmpty()) {
      try {
        autoscaling.put(name, policy);
        flash.addFlashAttribute("notice", "Autoscaling of " + name + " saved");
        return "redirect:/apps/" + name + "/autoscale";
      } catch (ValidationException e) {
        errors.addAll(e.errors());
      }
    } else {
      errors.addAll(autoscaling.problems(name, policy));
    }
    return render(name, view, form, FormErrors.byField(errors, f -> formField(f, policy)), model);
  }

  @PostMapping("/off")
  public String off(@PathVariable String name, RedirectAttributes flash) {
    autoscaling.delete(name);
    flash.addFlashAttribute("notice", "Autoscaling of " + name + " turned off");
    return "redirect:/apps/" + name + "/autoscale";
  }

  /** The part of the app page: status, chart and the newest decisions. */
  @GetMapping("/summary")
  public String summary(@PathVariable String name, Model model) {
    AutoscaleOperations.View view = autoscaling.get(name);
    model.addAttribute("view", view);
    model.addAttribute(
        "chart",
        AutoscaleChart.of(view.decisions(), view.policy() == null ? 1 : view.policy().max()));
    return "autoscaling/summary :: summary";
  }

  private String render(
      String name,
      AutoscaleOperations.View view,
      AutoscaleForm form,
      Map<String, List<String>> errors,
      Model model) {
    App app = apps.get(name);
    model.addAttribute("app", app);
    model.addAttribute("view", view);
    model.addAttribute("form", form);
    model.addAttribute("errors", errors);
    model.addAttribute("canEdit", apps.can(Permission.APP_AUTOSCALE, app));
    model.addAttribute(
        "chart",
        AutoscaleChart.of(view.decisions(), view.policy() == null ? 1 : view.policy().max()));
    return "autoscaling/page";
  }

  /** The form field that shows an API field's error; "" for the summary above the form. */
  static String formField(String api, AutoscalePolicy policy) {
    if (api.startsWith("metrics.")) {
      return api;
    }
    if (api.startsWith("metrics[")) {
      int i = Integer.parseInt(api.substring(8, api.indexOf(']')));
      return i < policy.metrics().size() ? "metrics." + policy.metrics().get(i).type() : "";
    }
    return switch (api) {
      case "min", "max", "tolerance" -> api;
      case "cooldownSeconds" -> "cooldown";
      case "scaleUp.stabilizationSeconds" -> "upStabilization";
      case "scaleDown.stabilizationSeconds" -> "downStabilization";
      case "schedules[0].start" -> "scheduleStart";
      case "schedules[0].end" -> "scheduleEnd";
      case "schedules[0].timezone" -> "scheduleTimezone";
      case "schedules[0].floor" -> "scheduleFloor";
      case "schedules[0].ceiling" -> "scheduleCeiling";
      default -> "";
    };
  }
}
