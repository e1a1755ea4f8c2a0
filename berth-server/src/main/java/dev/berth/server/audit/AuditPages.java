package dev.berth.server.audit;

import dev.berth.core.support.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log in the portal, with the API's filters (actor, object, action, since) and keyset
 * pages.
 */
@Controller
public class AuditPages {
  static final int PAGE_SIZE = 50;
  private final AuditLog audit;

  public AuditPages(AuditLog audit) {
    this.audit = audit;
  }

  @GetMapping("/audit")
  public String list(
      @RequestParam(defaultValue = "") String actor,
      @RequestParam(defaultValue = "") String object,
      @RequestParam(defaultValue = "") String action,
      @RequestParam(defaultValue = "") String since,
      @RequestParam(defaultValue = "") String page,
      Model model) {
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("actor", actor);
    filters.put("object", object);
    filters.put("action", action);
    filters.put("since", since);
    model.addAttribute("filters", filters);
    List<AuditEntry> entries = List.of();
    try {
      AuditQuery q = AuditApi.search(actor, object, action, since, page, PAGE_SIZE);
      entries = audit.query(q);
      model.addAttribute(
          "next", entries.size() == PAGE_SIZE ? Long.toString(entries.getLast().id()) : null);
    } catch (ValidationException e) {
      model.addAttribute("failure", e.getMessage());
    }
    model.addAttribute("entries", entries);
    model.addAttribute("paged", !page.isBlank());
    return "audit/list";
  }
}
