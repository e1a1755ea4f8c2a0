package dev.berth.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.security.signin.SignInGuard;
import dev.berth.server.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Throttles API token guessing: runs right after {@link BearerTokenFilter}, counts each request
 * whose bearer token was unknown or expired against its client address, and once the address
 * reached the limit answers every request from it that carries a bearer token with 429 and a
 * problem that says when to retry, valid token or not, so guesses learn nothing while the lock
 * lasts.
 */
public final class BearerThrottleFilter extends OncePerRequestFilter {
  private final SignInGuard guard;
  private final ObjectMapper mapper;
  private final Clock clock;

  public BearerThrottleFilter(SignInGuard guard, ObjectMapper mapper, Clock clock) {
    this.guard = guard;
    this.mapper = mapper;
    this.clock = clock;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
      chain.doFilter(request, response);
      return;
    }
    String address = request.getRemoteAddr();
    Optional<Instant> locked = guard.tokensLockedUntil(address);
    if (locked.isEmpty()
        && Boolean.TRUE.equals(request.getAttribute(BearerTokenFilter.INVALID_TOKEN))) {
      locked = guard.badToken(address);
    }
    if (locked.isPresent()) {
      tooMany(response, locked.get());
      return;
    }
    chain.doFilter(request, response);
  }

  private void tooMany(HttpServletResponse response, Instant until) throws IOException {
    long seconds = Math.max(1, Duration.between(clock.instant(), until).toSeconds());
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    Problems.write(
        mapper,
        response,
        429,
        "Too Many Requests",
        "too many requests with an invalid API token from this address; try again in "
            + seconds
            + " s, with a valid API token");
  }
}
