package dev.berth.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Requests that Spring Security's firewall refuses (an encoded '/', '..', '%00', '%25', a ';' or a
 * non-printable character in the path, a header with a control character) get 400 and a
 * problem+json answer instead of the container's error page.
 */
@Component
public class RejectedRequests implements RequestRejectedHandler {
  private final ObjectMapper mapper;

  public RejectedRequests(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
      throws IOException {
    Problems.write(
        mapper,
        response,
        400,
        "Rejected request",
        "the URL or a header contains something Berth never accepts (an encoded '/', '..', '%00', ';' or a control character): "
            + e.getMessage());
  }
}
