package dev.berth.server.image;

import dev.berth.core.support.BerthException;
import dev.berth.server.access.Permission;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The image centre's pages: registries, replication rules and a repository browser on {@code
 * /images}; a repository's tags newest first on {@code /images/tags}; a rule's jobs on {@code
 * /images/replications/{name}}. They read through {@link ImageOperations}, as the API does (every
 * signed-in user may); a registry that fails shows its error in the page instead of failing it.
 */
@Controller
public class ImagePages {
  private final ImageOperations images;
  private final RepositoryTeamOperations repositoryTeams;

  public ImagePages(ImageOperations images, RepositoryTeamOperations repositoryTeams) {
    this.images = images;
    this.repositoryTeams = repositoryTeams;
  }

  @GetMapping("/images")
  public String list(
      @RequestParam(defaultValue = "") String registry,
      @RequestParam(defaultValue = "") String q,
      @RequestParam(defaultValue = "") String last,
      Model model) {
    List<RegistryDirectory.View> all = images.registries();
    String chosen = registry.isBlank() && !all.isEmpty() ? all.getFirst().name() : registry;
    model.addAttribute("registries", all);
    model.addAttribute("rules", images.rules());
    model.addAttribute("registry", chosen);
    model.addAttribute("q", q);
    model.addAttribute("canAddRegistry", images.can(Permission.REGISTRY_MANAGE));
    model.addAttribute("canAddRule", images.can(Permission.REPLICATION_MANAGE));
    if (!chosen.isBlank()) {
      model.addAttribute("repositoryTeams", repositoryTeams.list(chosen));
      try {
        model.addAttribute("repositories", images.repositories(chosen, q, last, 50));
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
      model.addAttribute("tagList", images.tags(registry, repo));
    } catch (BerthException e) {
      model.addAttribute("browseError", e.getMessage());
    }
    return "images/tags";
  }

  @GetMapping("/images/replications/{name}")
  public String jobs(@PathVariable String name, Model model) {
    model.addAttribute("rule", images.rule(name));
    model.addAttribute("jobs", images.jobs(name, null, 100));
    return "images/jobs";
  }
}
