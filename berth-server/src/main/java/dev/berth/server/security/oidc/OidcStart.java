package dev.berth.server.security.oidc;

import dev.berth.server.security.signin.PortalEntryPoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The "Sign in with ..." button: {@code GET /signin?sso} starts the OpenID Connect flow when the
 * provider is configured and its discovery document can be read, and otherwise goes back to the
 * sign-in page with {@code ?sso-unavailable} instead of an error page.
 */
@Controller
public class OidcStart {
  private final ObjectProvider<OidcSignIn> oidc;

  public OidcStart(ObjectProvider<OidcSignIn> oidc) {
    this.oidc = oidc;
  }

  @GetMapping(value = PortalEntryPoint.SIGN_IN, params = "sso")
  public String start() {
    OidcSignIn signIn = oidc.getIfAvailable();
    if (signIn == null) {
      return "redirect:" + PortalEntryPoint.SIGN_IN;
    }
    return signIn.reachable()
        ? "redirect:" + OidcSignIn.startPath()
        : "redirect:" + PortalEntryPoint.SIGN_IN + "?sso-unavailable";
  }
}
