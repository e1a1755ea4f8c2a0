package dev.berth.server.image;

import dev.berth.server.portal.Flash;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The images page's repository prefixes: giving a prefix to a team and making it shared again, one
 * call of {@link RepositoryTeamOperations} each, as the API does (admins, audited); the outcome
 * shows on the images page of that registry.
 */
@Controller
@RequestMapping("/images/registries/{name}/repository-teams")
public class RepositoryTeamPages {
  private final RepositoryTeamOperations repositoryTeams;

  public RepositoryTeamPages(RepositoryTeamOperations repositoryTeams) {
    this.repositoryTeams = repositoryTeams;
  }

  @PostMapping
  public String add(
      @PathVariable String name,
      @RequestParam(defaultValue = "") String prefix,
      @RequestParam(defaultValue = "") String team,
      RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          RepositoryTeam m = repositoryTeams.add(name, prefix, team.strip());
          return "Repositories under " + m.prefix() + " now belong to team " + m.team();
        });
    return back(name);
  }

  @PostMapping("/delete")
  public String remove(
      @PathVariable String name, @RequestParam String prefix, RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          repositoryTeams.remove(name, prefix);
          return "Repositories under " + RepositoryOwners.normalize(prefix) + " are shared again";
        });
    return back(name);
  }

  private static String back(String registry) {
    return "redirect:"
        + UriComponentsBuilder.fromPath("/images")
            .queryParam("registry", registry)
            .build()
            .encode();
  }
}
