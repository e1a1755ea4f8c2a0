package dev.berth.core.app;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Page;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Which app holds which host and path: two apps may not claim the same one. */
final class RouteClaims {
  private static final int PAGE = 200;

  private RouteClaims() {}

  /** Throws a conflict naming the first route of {@code routes} another app already claims. */
  static void requireFree(AppStore apps, String app, List<Route> routes) {
    if (routes.isEmpty()) {
      return;
    }
    Map<String, String> held = new TreeMap<>();
    for (int page = 0; ; page++) {
      Page<App> p = apps.list("", null, page, PAGE);
      for (App other : p.items()) {
        if (!other.name().equals(app)) {
          other.spec().routes().forEach(r -> held.putIfAbsent(r.claim(), other.name()));
        }
      }
      if ((long) (page + 1) * PAGE >= p.total() || p.items().isEmpty()) {
        break;
      }
    }
    taken(held, routes)
        .ifPresent(
            i -> {
              throw new ConflictException(
                  "routes["
                      + i
                      + "] "
                      + routes.get(i).claim()
                      + " is already claimed by app '"
                      + held.get(routes.get(i).claim())
                      + "'; choose another host or path, or remove it from that app first");
            });
  }

  /** The index of the first route whose claim is in {@code held}. */
  static Optional<Integer> taken(Map<String, String> held, List<Route> routes) {
    for (int i = 0; i < routes.size(); i++) {
      if (held.containsKey(routes.get(i).claim())) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }
}
