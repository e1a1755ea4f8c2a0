package dev.berth.server.user;

import dev.berth.core.support.BerthException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.Permission;
import dev.berth.server.access.Role;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.access.TokenScope;
import dev.berth.server.portal.Flash;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Users and the caller's own API tokens: the user list with their teams (admins see everyone), a
 * create-user form (admins), and the caller's tokens with a form that creates one (its secret shown
 * on the next page only) and revoke buttons. Every action is one call of {@link Accounts}, as in
 * the API.
 */
@Controller
public class UserPages {
  private final Accounts accounts;
  private final Access access;

  public UserPages(Accounts accounts, Access access) {
    this.accounts = accounts;
    this.access = access;
  }

  @GetMapping("/users")
  public String list(Model model) {
    Caller caller = access.caller();
    model.addAttribute("users", accounts.list());
    model.addAttribute("tokens", accounts.tokens(caller.name()));
    model.addAttribute("canCreate", caller.can(Permission.USER_CREATE, null));
    model.addAttribute("me", caller.name());
    return "users/list";
  }

  @PostMapping("/users")
  public String create(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(defaultValue = "member") String role,
      RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          Role r;
          try {
            r = Role.parse(role);
          } catch (IllegalArgumentException e) {
            throw ValidationException.of("role", "must be admin or member");
          }
          return "Created user "
              + accounts.create(name.strip(), password, r).name()
              + "; give them roles on a team's page";
        });
    return "redirect:/users";
  }

  /**
   * Creates a token for the caller; {@code scopes} is {@code team=role} entries separated by commas
   * or spaces.
   */
  @PostMapping("/users/me/tokens")
  public String createToken(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String expiresIn,
      @RequestParam(defaultValue = "") String scopes,
      @RequestParam(defaultValue = "") String permission,
      RedirectAttributes flash) {
    try {
      IssuedToken issued =
          accounts.issue(
              access.caller().name(),
              name.strip(),
              Accounts.parseTtl(expiresIn),
              scope(scopes),
              permission);
      flash.addFlashAttribute(
          "notice",
          "Created token "
              + issued.token().name()
              + ". Copy its secret now: it is shown only this once.");
      flash.addFlashAttribute("secret", issued.secret());
    } catch (BerthException e) {
      flash.addFlashAttribute("failure", e.getMessage());
    }
    return "redirect:/users";
  }

  @PostMapping("/users/me/tokens/{id}/delete")
  public String revoke(@PathVariable String id, RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          accounts.revoke(access.caller().name(), id);
          return "Revoked the token; it no longer works";
        });
    return "redirect:/users";
  }

  static TokenScope scope(String text) {
    if (text.isBlank()) {
      return null;
    }
    boolean admin = false;
    List<TeamGrant> grants = new ArrayList<>();
    for (String part : text.split("[,\\s]+")) {
      if (part.isBlank()) {
        continue;
      }
      if (part.equalsIgnoreCase("admin")) {
        admin = true;
        continue;
      }
      int eq = part.indexOf('=');
      try {
        grants.add(
            new TeamGrant(
                part.substring(0, eq),
                TeamRole.parse(part.substring(eq + 1).toLowerCase(Locale.ROOT))));
      } catch (RuntimeException e) {
        throw ValidationException.of(
            "scopes",
            "must be team=role entries such as payments=operator (roles: owner, developer, operator, viewer), was '"
                + part
                + "'");
      }
    }
    return new TokenScope(admin, grants);
  }
}
