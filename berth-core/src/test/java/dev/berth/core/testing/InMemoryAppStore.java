package dev.berth.core.testing;

import dev.berth.core.app.App;
import dev.berth.core.app.AppStatus;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.Revision;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An {@link AppStore} in memory with the JDBC store's rules: a taken name and a stale {@code
 * expectedVersion} are conflicts, every desired-state update bumps {@code version} and keeps the
 * stored status, a revision number is stored once, status writes never conflict. Thread-safe (one
 * lock, like a serialisable database).
 */
public final class InMemoryAppStore implements AppStore {
  private final InstantSource clock;
  private final Map<String, App> apps = new TreeMap<>();
  private final Map<String, TreeMap<Long, Revision>> revisions = new TreeMap<>();

  public InMemoryAppStore(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public synchronized App create(App app, Revision first) {
    if (apps.containsKey(app.name())) {
      throw new ConflictException("app '" + app.name() + "' already exists");
    }
    var created = app.createdAt() != null ? app.createdAt() : clock.instant();
    App stored =
        new App(
            app.name(),
            app.team(),
            app.owner(),
            app.cluster(),
            app.spec(),
            app.revision(),
            app.instances(),
            app.reservedOrdinals(),
            app.deleting(),
            1,
            app.status(),
            created,
            app.updatedAt() != null ? app.updatedAt() : created);
    apps.put(app.name(), stored);
    revisions.put(app.name(), new TreeMap<>());
    if (first != null) {
      revisions.get(app.name()).put(first.number(), first);
    }
    return stored;
  }

  @Override
  public synchronized Optional<App> find(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  @Override
  public synchronized Page<App> list(String query, Set<String> teams, int page, int size) {
    String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    List<App> all =
        apps.values().stream()
            .filter(a -> a.name().contains(q))
            .filter(a -> teams == null || teams.contains(a.team()))
            .toList();
    int from = Math.min(all.size(), page * size);
    return new Page<>(all.subList(from, Math.min(all.size(), from + size)), page, size, all.size());
  }

  @Override
  public synchronized List<String> names(String cluster) {
    return apps.values().stream().filter(a -> a.cluster().equals(cluster)).map(App::name).toList();
  }

  @Override
  public synchronized App update(App app, long expectedVersion, Revision newRevision) {
    App current = apps.get(app.name());
    if (current == null) {
      throw new NotFoundException("app", app.name());
    }
    if (current.version() != expectedVersion) {
      throw new ConflictException(
          "app '"
              + app.name()
              + "' was changed by someone else (version "
              + current.version()
              + ", yours "
              + expectedVersion
              + "); reload and retry");
    }
    if (newRevision != null && revisions.get(app.name()).containsKey(newRevision.number())) {
      throw new ConflictException(
          "app '"
              + app.name()
              + "' already has revision "
              + newRevision.number()
              + "; reload and retry");
    }
    App stored =
        new App(
            app.name(),
            app.team(),
            app.owner(),
            app.cluster(),
            app.spec(),
            app.revision(),
            app.instances(),
            app.reservedOrdinals(),
            app.deleting(),
            current.version() + 1,
            current.status(),
            current.createdAt(),
            clock.instant());
    apps.put(app.name(), stored);
    if (newRevision != null) {
      revisions.get(app.name()).put(newRevision.number(), newRevision);
    }
    return stored;
  }

  @Override
  public synchronized void updateStatus(String name, AppStatus status) {
    apps.computeIfPresent(name, (k, a) -> a.withStatus(status));
  }

  @Override
  public synchronized void delete(String name) {
    apps.remove(name);
    revisions.remove(name);
  }

  @Override
  public synchronized List<Revision> revisions(String app) {
    return new ArrayList<>(revisions.getOrDefault(app, new TreeMap<>()).values());
  }

  @Override
  public synchronized Optional<Revision> revision(String app, long number) {
    return Optional.ofNullable(revisions.getOrDefault(app, new TreeMap<>()).get(number));
  }
}
