package dev.berth.core.testing;

import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link ReleaseStore} in memory, with the JDBC store's rules: ids grow, writes are
 * version-checked, a superseded release is written with its successor. Thread-safe (one lock).
 */
public final class InMemoryReleaseStore implements ReleaseStore {
  private final TreeMap<Long, Release> releases = new TreeMap<>();
  private final Map<String, ReleaseStrategy> strategies = new HashMap<>();
  private long nextId = 1;

  /** How many writes the store took (creates and updates), to check a settled pass writes none. */
  public int writes;

  @Override
  public synchronized Release create(Release release, Release superseded) {
    if (superseded != null) {
      update(superseded);
    }
    Release stored = release.withId(nextId++, 1);
    releases.put(stored.id(), stored);
    writes++;
    return stored;
  }

  @Override
  public synchronized Release update(Release release) {
    Release current = releases.get(release.id());
    if (current == null) {
      throw new NotFoundException("release", release.app() + "." + release.id());
    }
    if (current.version() != release.version()) {
      throw new ConflictException("release " + release.id() + " was changed meanwhile");
    }
    Release stored = release.withId(release.id(), release.version() + 1);
    releases.put(stored.id(), stored);
    writes++;
    return stored;
  }

  @Override
  public synchronized Optional<Release> find(String app, long id) {
    return Optional.ofNullable(releases.get(id)).filter(r -> r.app().equals(app));
  }

  @Override
  public synchronized Optional<Release> active(String app) {
    return of(app).stream().filter(Release::active).findFirst();
  }

  @Override
  public synchronized Optional<Release> latest(String app) {
    return of(app).stream().findFirst();
  }

  @Override
  public synchronized Page<Release> list(String app, int page, int size) {
    List<Release> all = of(app);
    int from = Math.min(all.size(), page * size);
    return new Page<>(
        new ArrayList<>(all.subList(from, Math.min(all.size(), from + size))),
        page,
        size,
        all.size());
  }

  @Override
  public synchronized void deleteAll(String app) {
    releases.values().removeIf(r -> r.app().equals(app));
    strategies.remove(app);
  }

  @Override
  public synchronized Optional<ReleaseStrategy> defaultStrategy(String app) {
    return Optional.ofNullable(strategies.get(app));
  }

  @Override
  public synchronized void setDefaultStrategy(String app, ReleaseStrategy strategy) {
    if (strategy == null) {
      strategies.remove(app);
    } else {
      strategies.put(app, strategy);
    }
  }

  private List<Release> of(String app) {
    return releases.values().stream()
        .filter(r -> r.app().equals(app))
        .sorted(Comparator.comparingLong(Release::id).reversed())
        .toList();
  }
}
