package dev.berth.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;

/**
 * Writes an RFC 9457 problem where no controller advice runs: servlet filters, the firewall and the
 * security entry points. Headers set before (e.g. {@code WWW-Authenticate}, {@code Retry-After})
 * stay; a response already committed is left alone.
 */
public final class Problems {
  private Problems() {}

  public static void write(
      ObjectMapper mapper, HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    write(mapper, response, status, title, detail, Map.of());
  }

  /**
   * The same with further members, e.g. {@code errors} ({@code [{field, message}]}) or {@code
   * permission}.
   */
  public static void write(
      ObjectMapper mapper,
      HttpServletResponse response,
      int status,
      String title,
      String detail,
      Map<String, Object> extra)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.putAll(extra);
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    mapper.writeValue(response.getOutputStream(), body);
  }
}
