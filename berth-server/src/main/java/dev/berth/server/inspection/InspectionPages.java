package dev.berth.server.inspection;

import dev.berth.server.portal.Flash;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A cluster's inspection history, one report, and the "Inspect now" button. */
@Controller
public class InspectionPages {
  private final InspectionOperations inspections;

  public InspectionPages(InspectionOperations inspections) {
    this.inspections = inspections;
  }

  @GetMapping("/clusters/{cluster}/inspections")
  public String history(
      @PathVariable String cluster, @RequestParam(required = false) String cursor, Model model) {
    InspectionOperations.ReportPage page = inspections.list(cluster, cursor, 50);
    model.addAttribute("cluster", cluster);
    model.addAttribute("reports", page.items());
    model.addAttribute("next", page.next());
    model.addAttribute("canRun", inspections.canRun());
    return "inspections/list";
  }

  @PostMapping("/clusters/{cluster}/inspections")
  public String run(@PathVariable String cluster, RedirectAttributes redirect) {
    long[] id = {0};
    boolean ok =
        Flash.run(
            redirect,
            () -> {
              Report r = inspections.run(cluster);
              id[0] = r.id();
              return "Inspection "
                  + r.id()
                  + " of "
                  + cluster
                  + ": "
                  + r.failures()
                  + " failure(s), "
                  + r.warnings()
                  + " warning(s)";
            });
    return ok
        ? "redirect:/clusters/" + cluster + "/inspections/" + id[0]
        : "redirect:/clusters/" + cluster + "/inspections";
  }

  @GetMapping("/clusters/{cluster}/inspections/{id}")
  public String report(@PathVariable String cluster, @PathVariable long id, Model model) {
    model.addAttribute("report", inspections.get(cluster, id));
    model.addAttribute("cluster", cluster);
    model.addAttribute("canRun", inspections.canRun());
    return "inspections/report";
  }
}
