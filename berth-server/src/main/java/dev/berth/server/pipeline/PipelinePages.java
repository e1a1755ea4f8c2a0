package dev.berth.server.pipeline;

import dev.berth.core.support.Page;
import dev.berth.server.portal.Flash;
import java.util.HashMap;
import java.util.List;
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
 * Pipelines in the portal: the list, and one pipeline with its environments in order (the image and
 * digest each runs, its last succeeded release), a promote button per environment for those who may
 * promote out of it, and the promotions with approve and reject buttons for those who may decide on
 * the target. Every action is one call of {@link Promotions}, as in the API.
 */
@Controller
@RequestMapping("/pipelines")
public class PipelinePages {
  private final PipelineOperations pipelines;
  private final Promotions promotions;
  private final PipelineViews views;

  public PipelinePages(PipelineOperations pipelines, Promotions promotions, PipelineViews views) {
    this.pipelines = pipelines;
    this.promotions = promotions;
    this.views = views;
  }

  @GetMapping
  public String list(Model model) {
    model.addAttribute(
        "pipelines", pipelines.list().stream().map(p -> views.view(p, false)).toList());
    return "pipelines/list";
  }

  @GetMapping("/{name}")
  public String detail(@PathVariable String name, Model model) {
    Pipeline p = pipelines.get(name);
    Page<Promotion> recent = promotions.list(name, 0, 20);
    Map<String, Boolean> canPromote = new HashMap<>();
    Map<String, Boolean> canApprove = new HashMap<>();
    for (Pipeline.Environment e : p.environments()) {
      canPromote.put(e.name(), p.next(e.name()).isPresent() && promotions.canPromote(e));
      canApprove.put(e.name(), promotions.canApprove(e));
    }
    model.addAttribute("pipeline", views.view(p, true));
    model.addAttribute("next", next(p));
    model.addAttribute("promotions", recent.items());
    model.addAttribute("canPromote", canPromote);
    model.addAttribute("canApprove", canApprove);
    return "pipelines/detail";
  }

  private static Map<String, String> next(Pipeline p) {
    Map<String, String> out = new HashMap<>();
    List<Pipeline.Environment> envs = p.environments();
    for (int i = 0; i < envs.size() - 1; i++) {
      out.put(envs.get(i).name(), envs.get(i + 1).name());
    }
    return out;
  }

  @PostMapping("/{name}/promote")
  public String promote(
      @PathVariable String name, @RequestParam String from, RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          Promotion p = promotions.promote(name, from);
          return "Promotion "
              + p.id()
              + " of "
              + p.image()
              + " to "
              + p.to()
              + ": "
              + p.state()
              + " ("
              + p.message()
              + ")";
        });
    return "redirect:/pipelines/" + name;
  }

  @PostMapping("/{name}/promotions/{id}/{decision:approve|reject}")
  public String decide(
      @PathVariable String name,
      @PathVariable long id,
      @PathVariable String decision,
      RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          Promotion p =
              decision.equals("approve")
                  ? promotions.approve(name, id)
                  : promotions.reject(name, id);
          return "Promotion " + p.id() + " to " + p.to() + " is " + p.state() + ": " + p.message();
        });
    return "redirect:/pipelines/" + name;
  }
}
