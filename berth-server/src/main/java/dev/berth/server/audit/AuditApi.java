package dev.berth.server.audit;

import dev.berth.core.support.Errors;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log: who changed what, when, from where, with the spec before and after. */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "audit", description = "The audit log of every change (admins)")
public class AuditApi {
  private final AuditLog audit;

  public AuditApi(AuditLog audit) {
    this.audit = audit;
  }

  @GetMapping
  @Operation(
      summary =
          "Search the audit log, newest first, by actor, object (name or kind/name), action (exact, or a prefix ending in '.') and since (RFC 3339);"
              + " a page at a time (send 'next' as cursor)")
  public ListJson<AuditEntry> query(
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) String object,
      @RequestParam(required = false) String action,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String cursor,
      @Parameter(deprecated = true, description = "the former name of cursor")
          @RequestParam(required = false)
          String page,
      @RequestParam(defaultValue = "50") int size) {
    AuditQuery q =
        cursor != null
            ? search(actor, object, action, since, "cursor", cursor, size)
            : search(actor, object, action, since, "page", page, size);
    List<AuditEntry> items = audit.query(q);
    String next = items.size() == q.limit() ? Long.toString(items.getLast().id()) : null;
    return new ListJson<>(items, next, null);
  }

  /**
   * Checks and builds a search from request parameters (shared with the portal page, whose cursor
   * is {@code page}).
   */
  public static AuditQuery search(
      String actor, String object, String action, String since, String page, int size) {
    return search(actor, object, action, since, "page", page, size);
  }

  private static AuditQuery search(
      String actor,
      String object,
      String action,
      String since,
      String cursorField,
      String page,
      int size) {
    Errors errors = new Errors();
    errors.check(size >= 1 && size <= 500, "size", "must be between 1 and 500, was " + size);
    errors.check(actor == null || actor.length() <= 255, "actor", "must be at most 255 characters");
    errors.check(
        object == null || object.length() <= 255, "object", "must be at most 255 characters");
    errors.check(
        action == null || action.length() <= 63, "action", "must be at most 63 characters");
    Instant from = null;
    if (since != null && !since.isBlank()) {
      try {
        from = Instant.parse(since.strip());
      } catch (DateTimeParseException e) {
        errors.add(
            "since",
            "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was '" + since + "'");
      }
    }
    long before = 0;
    if (page != null && !page.isBlank()) {
      try {
        before = Long.parseLong(page.strip());
        errors.check(
            before > 0,
            cursorField,
            "must be the 'next' value of a previous answer, was '" + page + "'");
      } catch (NumberFormatException e) {
        errors.add(
            cursorField, "must be the 'next' value of a previous answer, was '" + page + "'");
      }
    }
    errors.throwIfAny();
    return new AuditQuery(
        blankToNull(actor), blankToNull(object), blankToNull(action), from, before, size);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
