package dev.berth.server.portal.image;

import dev.berth.core.support.BerthException;
import dev.berth.server.image.ImageBrowser;
import dev.berth.server.image.RegistryDirectory;
import dev.berth.server.image.Replications;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The image centre's pages: registries, replication rules and a repository browser on {@code
 * /images}; a repository's tags newest first on {@code /images/tags}; a rule's jobs on {@code
 * /images/replications/{name}}. They read the same services as the API; a registry that fails shows
 * its error in the page instead of failing it.
 */
@Controller
public class ImagePages {
  private final RegistryDirectory registries;
  private final ImageBrowser browser;
  private final Replications replications;

  public ImagePages(RegistryDirectory registries, ImageBrowser browser, Replications replications) {
    this.registries = registries;
    this.browser = browser;
    this.replications = replications;
  }

  @GetMapping("/images")
  public String list(@RequestParam(defaultValue = "") String registry, @RequestParam(defaultValue = "") String q,
      @RequestParam(defaultValue = "") String last, Model model) {
    List<RegistryDirectory.View> all = registries.views();
    String chosen = registry.isBlank() && !all.isEmpty() ? all.getFirst().name() : registry;
    model.addAttribute("registries", all);
    model.addAttribute("rules", replications.rules());
    model.addAttribute("registry", chosen);
    model.addAttribute("q", q);
    if (!chosen.isBlank()) {
      try {
        model.addAttribute("repositories", browser.repositories(chosen, q, last, 50));
      } catch (BerthException e) {
        model.addAttribute("browseError", e.getMessage());
      }
    }
    return "images/list";
  }

  @GetMapping("/images/tags")
  public String tags(@RequestParam String registry, @RequestParam String repo, Model model) {
    model.addAttribute("registry", registry);
    model.addAttribute("repo", repo);
    try {
      model.addAttribute("tagList", browser.tags(registry, repo));
    } catch (BerthException e) {
      model.addAttribute("browseError", e.getMessage());
    }
    return "images/tags";
  }

  @GetMapping("/images/replications/{name}")
  public String jobs(@PathVariable String name, Model model) {
    model.addAttribute("rule", replications.rule(name));
    model.addAttribute("jobs", replications.jobs(name, null, 100));
    return "images/jobs";
  }
}
