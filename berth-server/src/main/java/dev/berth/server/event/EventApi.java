package dev.berth.server.event;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.core.event.EventType;
import dev.berth.core.support.Errors;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The event centre: search, and a live stream. */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "events", description = "What happened to applications and instances")
public class EventApi {
  private final VisibleEvents events;

  public EventApi(VisibleEvents events) {
    this.events = events;
  }

  @GetMapping
  @Operation(
      summary =
          "Search events of the caller's teams (and of clusters and nodes), newest first, a page at a time (send 'next' as cursor)."
              + " object: kind/name, a name, or an app (with its instances)")
  public ListJson<EventJson> query(
      @RequestParam(required = false) String object,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String since,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer size,
      @Parameter(deprecated = true, description = "the former name of cursor")
          @RequestParam(required = false)
          String before,
      @Parameter(deprecated = true, description = "the former name of size")
          @RequestParam(required = false)
          Integer limit) {
    Errors errors = new Errors();
    EventType t = type(type, errors);
    Instant s = since(since, errors);
    int n = size != null ? size : limit != null ? limit : 100;
    errors.check(
        n >= 1 && n <= 1000,
        size != null || limit == null ? "size" : "limit",
        "must be between 1 and 1000, was " + n);
    long from =
        eventId(cursor != null ? cursor : before, cursor != null ? "cursor" : "before", errors);
    errors.check(
        object == null || object.length() <= 200, "object", "must be at most 200 characters");
    errors.throwIfAny();
    List<EventJson> page =
        events.query(new EventQuery(blankToNull(object), t, s, from, n)).stream()
            .map(EventJson::of)
            .toList();
    return new ListJson<>(page, page.size() == n ? Long.toString(page.getLast().id()) : null, null);
  }

  private static long eventId(String cursor, String field, Errors errors) {
    if (cursor == null || cursor.isBlank()) {
      return 0;
    }
    try {
      long id = Long.parseLong(cursor.strip());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(
        field, "must be the 'next' value of a previous answer (an event id), was '" + cursor + "'");
    return 0;
  }

  @GetMapping(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary =
          "Live events as server-sent events (event name 'event', data an event JSON); resumes after Last-Event-ID")
  public SseEmitter stream(
      @RequestParam(required = false) String object,
      @RequestParam(required = false) String type,
      @RequestHeader(value = "Last-Event-ID", defaultValue = "0") long lastEventId) {
    Errors errors = new Errors();
    EventType t = type(type, errors);
    errors.throwIfAny();
    Predicate<Event> filter = e -> (t == null || e.type() == t) && matches(blankToNull(object), e);
    return events.subscribe(filter, lastEventId);
  }

  static boolean matches(String object, Event e) {
    if (object == null) {
      return true;
    }
    if (object.contains("/")) {
      return object.equals(e.kind() + "/" + e.name());
    }
    return object.equals(e.name()) || object.equals(e.app());
  }

  private static EventType type(String type, Errors errors) {
    if (type == null || type.isBlank()) {
      return null;
    }
    try {
      return EventType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add("type", "must be 'Normal' or 'Warning', was '" + type + "'");
      return null;
    }
  }

  private static Instant since(String since, Errors errors) {
    if (since == null || since.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(since);
    } catch (DateTimeParseException e) {
      errors.add(
          "since", "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was '" + since + "'");
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
