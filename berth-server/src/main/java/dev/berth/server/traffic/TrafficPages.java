package dev.berth.server.traffic;

import dev.berth.core.app.App;
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
 * The app page's endpoints panel (loaded into the page, refreshed with it) and its online/offline
 * switches and weights, through the same operations as the API.
 */
@Controller
@RequestMapping("/apps/{name}")
public class TrafficPages {
  private final TrafficOperations traffic;

  public TrafficPages(TrafficOperations traffic) {
    this.traffic = traffic;
  }

  @GetMapping("/endpoints")
  public String endpoints(@PathVariable String name, Model model) {
    App app = traffic.readable(name);
    model.addAttribute("app", app);
    model.addAttribute(
        "endpoints", traffic.endpoints(name, true).stream().map(EndpointJson::of).toList());
    model.addAttribute("canSwitch", traffic.canSwitch(app));
    model.addAttribute("dnsName", name + "." + app.team() + "." + DnsAnswers.ZONE);
    return "traffic/endpoints";
  }

  @PostMapping("/instances/{id}/offline")
  public String offline(
      @PathVariable String name, @PathVariable String id, RedirectAttributes flash) {
    Flash.run(flash, () -> traffic.offline(name, id).message());
    return "redirect:/apps/" + name;
  }

  @PostMapping("/instances/{id}/weight")
  public String weight(
      @PathVariable String name,
      @PathVariable String id,
      @RequestParam(defaultValue = "") String weight,
      RedirectAttributes flash) {
    Flash.run(flash, () -> traffic.weight(name, id, InstanceWeight.of(weight)).message());
    return "redirect:/apps/" + name;
  }

  @PostMapping("/instances/{id}/online")
  public String online(
      @PathVariable String name, @PathVariable String id, RedirectAttributes flash) {
    Flash.run(flash, () -> traffic.online(name, id).message());
    return "redirect:/apps/" + name;
  }
}
