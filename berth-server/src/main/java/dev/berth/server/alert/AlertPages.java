package dev.berth.server.alert;

import dev.berth.server.portal.Flash;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Alerts in the portal: firing and recent alerts with their delivery attempts, the rules, receivers
 * and silences the caller may read; silencing an alert's rule for its team and ending a silence.
 * Every action is one call of the operations the API uses.
 */
@Controller
@RequestMapping("/alerts")
public class AlertPages {
  private final AlertOperations alerts;
  private final RuleOperations rules;
  private final ReceiverOperations receivers;

  public AlertPages(AlertOperations alerts, RuleOperations rules, ReceiverOperations receivers) {
    this.alerts = alerts;
    this.rules = rules;
    this.receivers = receivers;
  }

  @GetMapping
  public String list(Model model) {
    model.addAttribute("alerts", alerts.alerts(null, 100));
    model.addAttribute("rules", rules.list());
    model.addAttribute("receivers", receivers.list());
    model.addAttribute("silences", alerts.silences());
    return "alerts/list";
  }

  /** Silences the alerts of {@code rule} (of {@code team}, if given) for {@code duration}. */
  @PostMapping("/silences")
  public String silence(
      @RequestParam String rule,
      @RequestParam(defaultValue = "") String team,
      @RequestParam(defaultValue = "2h") String duration,
      @RequestParam(defaultValue = "") String comment,
      RedirectAttributes flash) {
    Flash.run(
        flash,
        () ->
            "Silenced "
                + rule
                + " until "
                + alerts
                    .createSilence(
                        new SilenceJson(
                            null,
                            Map.of("alertname", rule),
                            team.isBlank() ? null : team,
                            comment.isBlank() ? null : comment,
                            null,
                            null,
                            duration,
                            null,
                            null))
                    .endsAt());
    return "redirect:/alerts";
  }

  @PostMapping("/silences/{id}/expire")
  public String expire(@PathVariable long id, RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          alerts.expireSilence(id);
          return "Ended silence " + id;
        });
    return "redirect:/alerts";
  }
}
