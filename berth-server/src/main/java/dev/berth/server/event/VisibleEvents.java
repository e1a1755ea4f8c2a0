package dev.berth.server.event;

import static dev.berth.server.access.Permission.APP_READ;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.server.access.Access;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The events the caller may see, for the API and the portal alike: those of apps and tasks of the
 * caller's teams, and those of no team (clusters, nodes). A live stream keeps the teams the caller
 * had when it opened.
 */
@Service
public class VisibleEvents {
  private static final int TEAM_CACHE = 1000;
  private final EventService events;
  private final JdbcEventStore store;
  private final Access access;

  public VisibleEvents(EventService events, JdbcEventStore store, Access access) {
    this.events = events;
    this.store = store;
    this.access = access;
  }

  public List<Event> query(EventQuery query) {
    return events.query(query.within(access.readable(APP_READ)));
  }

  /** A live stream of the events matching {@code filter} that the caller may see. */
  public SseEmitter subscribe(Predicate<Event> filter, long lastEventId) {
    Set<String> readable = access.readable(APP_READ);
    if (readable == null) {
      return events.subscribe(filter, lastEventId);
    }
    // An app's or task's team never changes, so a small cache per stream keeps look-ups rare.
    Map<String, String> teams =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > TEAM_CACHE;
              }
            });
    Predicate<Event> visible =
        e -> {
          if (e.app() == null) {
            return true;
          }
          String team = teams.computeIfAbsent(e.app(), app -> String.valueOf(store.teamOf(app)));
          return team.equals("null") || readable.contains(team);
        };
    return events.subscribe(visible.and(filter), lastEventId);
  }
}
