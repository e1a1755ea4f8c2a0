package dev.berth.server.event;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.core.event.EventType;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The event centre in the portal: newest events first, filtered by object and type, and a live
 * stream (the same {@link VisibleEvents#subscribe} as {@code /api/v1/events/stream}) that tells the
 * pages to refresh their event tables, application lists and instance tables.
 */
@Controller
@RequestMapping("/events")
public class EventPages {
  static final int LIMIT = 100;
  private final VisibleEvents events;

  public EventPages(VisibleEvents events) {
    this.events = events;
  }

  @GetMapping
  public String list(
      @RequestParam(defaultValue = "") String object,
      @RequestParam(defaultValue = "") String type,
      Model model) {
    EventType t = type(type);
    List<Event> found =
        events.query(new EventQuery(object.isBlank() ? null : object.strip(), t, null, 0, LIMIT));
    model.addAttribute("object", object);
    model.addAttribute("type", t == null ? "" : t.toString());
    model.addAttribute("events", found);
    model.addAttribute("limit", LIMIT);
    return "events/list";
  }

  /**
   * Live events for a page: all of them, or those of one object (as {@code object=} on the list).
   */
  @GetMapping("/stream")
  public SseEmitter stream(
      @RequestParam(defaultValue = "") String object,
      @RequestParam(defaultValue = "") String type) {
    EventType t = type(type);
    String o = object.isBlank() ? null : object.strip();
    Predicate<Event> filter = e -> (t == null || e.type() == t) && matches(o, e);
    return events.subscribe(filter, 0);
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

  /** Normal, Warning, or no filter for anything else: the select on the page offers only those. */
  private static EventType type(String type) {
    return switch (type.strip().toLowerCase(Locale.ROOT)) {
      case "normal" -> EventType.NORMAL;
      case "warning" -> EventType.WARNING;
      default -> null;
    };
  }
}
