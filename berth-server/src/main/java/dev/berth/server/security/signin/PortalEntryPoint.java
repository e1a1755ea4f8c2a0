package dev.berth.server.security.signin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.session.InvalidSessionStrategy;

/**
 * Where a request without a signed-in user goes on the portal's paths: a browser page to the
 * sign-in page, an htmx request (a fragment) to the same page through {@code HX-Redirect}, and
 * anything else (scripts, {@code curl}) to {@code fallback}, a 401 problem. The same for a session
 * that expired.
 */
public final class PortalEntryPoint implements AuthenticationEntryPoint, InvalidSessionStrategy {
  public static final String SIGN_IN = "/signin";
  private final AuthenticationEntryPoint fallback;

  public PortalEntryPoint(AuthenticationEntryPoint fallback) {
    this.fallback = fallback;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException, jakarta.servlet.ServletException {
    if (!redirect(request, response, SIGN_IN)) {
      fallback.commence(request, response, e);
    }
  }

  @Override
  public void onInvalidSessionDetected(HttpServletRequest request, HttpServletResponse response)
      throws IOException, jakarta.servlet.ServletException {
    request.getSession(true);
    if (!redirect(request, response, SIGN_IN + "?expired")) {
      fallback.commence(request, response, null);
    }
  }

  private static boolean redirect(
      HttpServletRequest request, HttpServletResponse response, String target) throws IOException {
    String location = request.getContextPath() + target;
    if (request.getHeader("HX-Request") != null) {
      response.setHeader("HX-Redirect", location);
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      return true;
    }
    if (wantsHtml(request)) {
      response.sendRedirect(location);
      return true;
    }
    return false;
  }

  private static boolean wantsHtml(HttpServletRequest request) {
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    if (accept == null) {
      return false;
    }
    return MediaType.parseMediaTypes(accept).stream()
        .anyMatch(m -> m.isCompatibleWith(MediaType.TEXT_HTML) && !m.isWildcardType());
  }
}
