package dev.berth.core.release;

import dev.berth.core.support.Page;
import java.util.Optional;

/**
 * Releases and each app's default release strategy. Implementations are transactional per call and
 * safe for concurrent use.
 */
public interface ReleaseStore {
  /**
   * Stores a new release and returns it with its id and version 1. When {@code superseded} is not
   * null it is written too, in the same transaction (version-checked), so an app never has two
   * active releases.
   *
   * @throws dev.berth.core.support.ConflictException when {@code superseded} changed meanwhile
   */
  Release create(Release release, Release superseded);

  /**
   * Writes {@code release} when its stored version is still {@code release.version()}, and returns
   * it with the next version.
   *
   * @throws dev.berth.core.support.ConflictException when someone wrote it meanwhile
   * @throws dev.berth.core.support.NotFoundException when it is gone
   */
  Release update(Release release);

  Optional<Release> find(String app, long id);

  /** The app's active release ({@link Release#active()}), if any. */
  Optional<Release> active(String app);

  /** The app's newest release, whatever its state. */
  Optional<Release> latest(String app);

  /** The app's releases, newest first. */
  Page<Release> list(String app, int page, int size);

  /** Forgets every release and the default strategy of an app that is gone. */
  void deleteAll(String app);

  /**
   * The strategy a spec change of {@code app} is released with; empty: {@link
   * ReleaseStrategy#DEFAULT}.
   */
  Optional<ReleaseStrategy> defaultStrategy(String app);

  /** Sets (or, with null, removes) the app's default strategy. */
  void setDefaultStrategy(String app, ReleaseStrategy strategy);
}
