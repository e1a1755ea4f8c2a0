package dev.berth.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Security failures as RFC 9457 problems: 401 with {@code WWW-Authenticate: Bearer} when no valid
 * token came (with {@code error="invalid_token"} when one came but is unknown or expired, as RFC
 * 6750 asks), 403 when the user may not do this.
 */
public class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {
  private final ObjectMapper mapper;
  private final String unauthorizedDetail;

  public ProblemResponses(ObjectMapper mapper, Path adminTokenFile) {
    this.mapper = mapper;
    this.unauthorizedDetail =
        "a valid API token is required: send 'Authorization: Bearer <token>' (the admin token is in "
            + adminTokenFile
            + ")";
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    boolean invalid = Boolean.TRUE.equals(request.getAttribute(BearerTokenFilter.INVALID_TOKEN));
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE, invalid ? "Bearer error=\"invalid_token\"" : "Bearer");
    write(response, 401, "Unauthorized", unauthorizedDetail);
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    String who = auth == null ? "you" : "user '" + auth.getName() + "'";
    write(
        response,
        403,
        "Forbidden",
        who + " may not " + request.getMethod() + " " + request.getRequestURI());
  }

  private void write(HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    Problems.write(mapper, response, status, title, detail);
  }
}
