package dev.berth.server.security;

import dev.berth.server.access.CurrentUser;
import dev.berth.server.security.signin.PortalEntryPoint;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-in page and the portal's root. Spring Security checks the password ({@code POST
 * /signin}, through {@code UserService.checkPassword}) and ends the session ({@code POST
 * /signout}).
 */
@Controller
public class SignInPage {
  @GetMapping(PortalEntryPoint.SIGN_IN)
  public String signIn() {
    return CurrentUser.get().isPresent() ? "redirect:/apps" : "signin";
  }

  @GetMapping("/")
  public String home() {
    return "redirect:/apps";
  }
}
