package dev.berth.server.terminal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.ForbiddenException;
import dev.berth.server.support.exec.ExecLimiter;
import dev.berth.server.support.exec.TooManyExecsException;
import dev.berth.server.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Decides before the upgrade whether a terminal socket is accepted: a refusal is an ordinary HTTP
 * answer ({@code application/problem+json} with the reason), so that the portal and the CLI can
 * show why (429 when the user already has {@code berth.exec.max-per-user} terminals open); a grant
 * travels to {@link TerminalHandler} as the session's attribute.
 */
final class TerminalHandshake implements HandshakeInterceptor {
  static final String SESSION = TerminalSession.class.getName();

  private final TerminalOperations terminals;
  private final TerminalSessions sessions;
  private final ExecLimiter.Limits limits;
  private final ObjectMapper json;

  TerminalHandshake(
      TerminalOperations terminals,
      TerminalSessions sessions,
      ExecLimiter.Limits limits,
      ObjectMapper json) {
    this.terminals = terminals;
    this.sessions = sessions;
    this.limits = limits;
    this.json = json;
  }

  @Override
  public boolean beforeHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Map<String, Object> attributes)
      throws IOException {
    HttpServletResponse http = ((ServletServerHttpResponse) response).getServletResponse();
    try {
      var query = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams();
      int columns = size(query.getFirst("cols"), 80, "cols");
      int rows = size(query.getFirst("rows"), 24, "rows");
      String[] target =
          TerminalProtocol.target(request.getURI().getPath())
              .orElseThrow(() -> new NotFoundException("terminal", request.getURI().getPath()));
      checkLimit();
      TerminalSession session =
          target.length == 2
              ? terminals.grantInstance(target[0], target[1], columns, rows)
              : terminals.grantRun(target[0], columns, rows);
      attributes.put(SESSION, session);
      return true;
    } catch (ValidationException e) {
      Problems.write(
          json,
          http,
          400,
          "Invalid request",
          e.getMessage(),
          Map.of(
              "errors",
              e.errors().stream()
                  .map(f -> Map.of("field", f.field(), "message", f.message()))
                  .toList()));
    } catch (NotFoundException e) {
      Problems.write(json, http, 404, "Not found", e.getMessage());
    } catch (ForbiddenException e) {
      Problems.write(
          json, http, 403, "Forbidden", e.getMessage(), Map.of("permission", e.permission()));
    } catch (ConflictException e) {
      Problems.write(json, http, 409, "Conflict", e.getMessage());
    } catch (AuthenticationException e) {
      Problems.write(json, http, 401, "Unauthorized", "sign in or send an API token");
    } catch (TooManyExecsException e) {
      http.setHeader("Retry-After", String.valueOf(TooManyExecsException.RETRY_AFTER_SECONDS));
      Problems.write(json, http, 429, "Too many terminals", e.getMessage());
    } catch (RuntimeFailure e) {
      Problems.write(json, http, 503, "Runtime unavailable", e.getMessage());
    }
    return false;
  }

  /** Refuses one more terminal of a user who has {@code berth.exec.max-per-user} open. */
  private void checkLimit() {
    String me = terminals.callerName();
    List<TerminalSession> open = sessions.open();
    int mine = (int) open.stream().filter(s -> s.actor().equals(me)).count();
    ExecLimiter.refusal(limits, me, mine, open.size())
        .ifPresent(
            reason -> {
              throw new TooManyExecsException(reason);
            });
  }

  /** A screen size from the query: a whole number 1..1000, {@code fallback} when absent. */
  private static int size(String value, int fallback, String field) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ValidationException(
        java.util.List.of(
            new ValidationException.FieldError(
                field, "must be a whole number from 1 to 1000, was '" + value + "'")));
  }

  @Override
  public void afterHandshake(
      ServerHttpRequest request,
      ServerHttpResponse response,
      WebSocketHandler handler,
      Exception exception) {}
}
