package dev.berth.server.portal;

import dev.berth.server.access.CurrentUser;
import dev.berth.server.access.User;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every portal page's layout needs: the signed-in user and the path, for the sidebar. Portal
 * pages live in their features' packages, so this applies to every {@code @Controller} (JSON
 * controllers ignore the model).
 */
@ControllerAdvice(annotations = Controller.class)
public class PortalModel {
  @ModelAttribute("currentUser")
  public User currentUser() {
    return CurrentUser.get().orElse(null);
  }

  @ModelAttribute("path")
  public String path(HttpServletRequest request) {
    return request.getRequestURI();
  }

  /** This page's address with its query, for fragments that refresh themselves. */
  @ModelAttribute("self")
  public String self(HttpServletRequest request) {
    String query = request.getQueryString();
    return request.getRequestURI() + (query == null ? "" : "?" + query);
  }
}
