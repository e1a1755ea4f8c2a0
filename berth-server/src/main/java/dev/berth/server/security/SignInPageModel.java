package dev.berth.server.security;

import dev.berth.server.security.oidc.OidcSignIn;
import dev.berth.server.security.oidc.OidcStart;
import dev.berth.server.security.signin.SignInGuard;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the sign-in page shows besides the form: the "Sign in with ..." button ({@code ssoName},
 * absent without OpenID Connect) and the lock-out's length in minutes ({@code lockoutMinutes}).
 */
@ControllerAdvice(assignableTypes = {SignInPage.class, OidcStart.class})
public class SignInPageModel {
  private final ObjectProvider<OidcSignIn> oidc;
  private final SignInGuard guard;

  public SignInPageModel(ObjectProvider<OidcSignIn> oidc, SignInGuard guard) {
    this.oidc = oidc;
    this.guard = guard;
  }

  @ModelAttribute("ssoName")
  public String ssoName() {
    OidcSignIn signIn = oidc.getIfAvailable();
    return signIn == null ? null : signIn.providerName();
  }

  @ModelAttribute("lockoutMinutes")
  public long lockoutMinutes() {
    return Math.max(1, guard.lockout().toMinutes());
  }
}
