package dev.berth.server.security.signin;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * What follows a sign-in on the portal: success resets the name's failure count and goes on to the
 * page asked for (or the apps); failure goes back to the sign-in page with one of {@code ?error}
 * (wrong name or password, counted), {@code ?locked}, {@code ?unavailable} (the directory could not
 * be asked) or {@code ?sso-failed} (the OpenID Connect provider refused or failed). The page shows
 * a sentence for each, never an exception.
 */
public final class SignInOutcomes
    implements AuthenticationSuccessHandler, AuthenticationFailureHandler {
  private static final Logger log = LoggerFactory.getLogger(SignInOutcomes.class);

  /** The form field with the user name. */
  static final String USERNAME = "username";

  private final SignInGuard guard;
  private final SavedRequestAwareAuthenticationSuccessHandler next =
      new SavedRequestAwareAuthenticationSuccessHandler();

  public SignInOutcomes(SignInGuard guard, String defaultTarget) {
    this.guard = guard;
    next.setDefaultTargetUrl(defaultTarget);
  }

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException, ServletException {
    String typed = request.getParameter(USERNAME);
    if (typed != null) {
      guard.succeeded(typed);
    }
    next.onAuthenticationSuccess(request, response, authentication);
  }

  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    String outcome;
    if (e instanceof SignInLockedException) {
      outcome = "locked";
    } else if (e instanceof SignInUnavailableException) {
      log.warn("Sign-in could not ask the directory: {}", e.getMessage());
      outcome = "unavailable";
    } else if (e instanceof OAuth2AuthenticationException o) {
      log.info("OpenID Connect sign-in failed: {}", o.getError());
      outcome = "sso-failed";
    } else {
      boolean locked =
          guard.failed(request.getParameter(USERNAME), request.getRemoteAddr()).isPresent();
      outcome = locked ? "locked" : "error";
    }
    response.sendRedirect(request.getContextPath() + "/signin?" + outcome);
  }
}
