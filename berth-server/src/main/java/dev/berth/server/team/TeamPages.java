package dev.berth.server.team;

import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.Permission;
import dev.berth.server.access.TeamRole;
import dev.berth.server.portal.Flash;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Teams in the portal: the caller's teams (all for admins), creating a team and marking it as
 * production (admins), a team's members and their roles (changed by its owners and admins). Every
 * action is one call of {@link TeamService}, as in the API.
 */
@Controller
@RequestMapping("/teams")
public class TeamPages {
  private final TeamService teams;
  private final Access access;

  public TeamPages(TeamService teams, Access access) {
    this.teams = teams;
    this.access = access;
  }

  @GetMapping
  public String list(Model model) {
    Caller caller = access.caller();
    model.addAttribute("teams", teams.list());
    model.addAttribute("myRoles", caller.sortedRoles());
    model.addAttribute("canCreate", caller.can(Permission.TEAM_CREATE, null));
    return "teams/list";
  }

  @PostMapping
  public String create(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "false") boolean production,
      RedirectAttributes flash) {
    boolean ok =
        Flash.run(flash, () -> "Created team " + teams.create(name.strip(), production).name());
    return ok ? "redirect:/teams/" + name.strip() : "redirect:/teams";
  }

  @GetMapping("/{team}")
  public String detail(@PathVariable String team, Model model) {
    TeamService.Details d = teams.get(team);
    Caller caller = access.caller();
    model.addAttribute("team", d.team());
    model.addAttribute("members", d.members());
    model.addAttribute("roles", Arrays.stream(TeamRole.values()).map(TeamRole::toString).toList());
    model.addAttribute("canManage", caller.can(Permission.TEAM_MEMBERS, team));
    model.addAttribute("canMark", caller.can(Permission.TEAM_UPDATE, team));
    return "teams/detail";
  }

  @PostMapping("/{team}/members")
  public String setMember(
      @PathVariable String team,
      @RequestParam(defaultValue = "") String user,
      @RequestParam(defaultValue = "") String role,
      RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          TeamRole r;
          try {
            r = TeamRole.parse(role.toLowerCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw ValidationException.of("role", "must be owner, developer, operator or viewer");
          }
          teams.setMember(team, user.strip(), r);
          return user.strip() + " is now " + r + " of " + team;
        });
    return "redirect:/teams/" + team;
  }

  @PostMapping("/{team}/members/{user}/delete")
  public String removeMember(
      @PathVariable String team, @PathVariable String user, RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          teams.removeMember(team, user);
          return user + " is no longer a member of " + team;
        });
    return "redirect:/teams/" + team;
  }

  @PostMapping("/{team}/production")
  public String production(
      @PathVariable String team,
      @RequestParam(defaultValue = "false") boolean production,
      RedirectAttributes flash) {
    Flash.run(
        flash,
        () ->
            team
                + (teams.setProduction(team, production).production()
                    ? " is production: scaling its apps to zero now needs their name typed back"
                    : " is no longer production"));
    return "redirect:/teams/" + team;
  }
}
