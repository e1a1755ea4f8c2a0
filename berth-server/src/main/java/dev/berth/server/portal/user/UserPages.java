package dev.berth.server.portal.user;

import dev.berth.server.user.UserService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Local accounts; creating users and teams from the portal comes with the security work. */
@Controller
public class UserPages {
  private final UserService users;

  public UserPages(UserService users) {
    this.users = users;
  }

  @GetMapping("/users")
  public String list(Model model) {
    model.addAttribute("users", users.list());
    return "users/list";
  }
}
