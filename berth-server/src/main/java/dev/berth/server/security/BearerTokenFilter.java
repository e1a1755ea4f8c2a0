package dev.berth.server.security;

import dev.berth.server.access.UserAuthentication;
import dev.berth.server.user.UserService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the stored API tokens. A request
 * without the header passes on unauthenticated; one with a wrong token too, marked with {@link
 * #INVALID_TOKEN} so that the 401 can say so. The context is kept as a request attribute, so error
 * and async dispatches of the same request stay authenticated; nothing goes into a session.
 */
public class BearerTokenFilter extends OncePerRequestFilter {
  /** Request attribute set when a bearer token was sent but is not valid. */
  public static final String INVALID_TOKEN = BearerTokenFilter.class.getName() + ".INVALID_TOKEN";

  private static final String BEARER = "bearer ";

  private final UserService users;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();
  private final SecurityContextRepository repository =
      new RequestAttributeSecurityContextRepository();

  public BearerTokenFilter(UserService users) {
    this.users = users;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      Optional<UserService.TokenUse> use =
          users.authenticateToken(header.substring(BEARER.length()).strip());
      if (use.isPresent()) {
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(
            new UserAuthentication(use.get().user(), use.get().tokenId(), use.get().scope()));
        contexts.setContext(context);
        repository.saveContext(context, request, response);
      } else {
        request.setAttribute(INVALID_TOKEN, Boolean.TRUE);
      }
    }
    chain.doFilter(request, response);
  }
}
