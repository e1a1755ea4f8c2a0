package dev.berth.server.pipeline;

import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.Revision;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseState;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What a promotion out of an environment takes: the app's last succeeded release and the image of
 * its to-revision, pinned to its digest.
 */
@Component
public class PromotionSources {
  private static final int PAGE = 100;
  private final ReleaseStore releases;
  private final AppStore apps;
  private final DigestPinning digests;

  public PromotionSources(ReleaseStore releases, AppStore apps, DigestPinning digests) {
    this.releases = releases;
    this.apps = apps;
    this.digests = digests;
  }

  /** The release promoted and the image it released, pinned ({@code repo@sha256:…}). */
  public record Source(Release release, String image) {}

  /** The app's newest succeeded release. */
  public Optional<Release> lastSucceeded(String app) {
    for (int page = 0; ; page++) {
      Page<Release> p = releases.list(app, page, PAGE);
      Optional<Release> found =
          p.items().stream().filter(r -> r.state() == ReleaseState.SUCCEEDED).findFirst();
      if (found.isPresent() || p.items().size() < PAGE) {
        return found;
      }
    }
  }

  /**
   * @throws ConflictException when the environment has no succeeded release, or its image cannot be
   *     pinned
   */
  public Source of(App app, String env) {
    Release succeeded =
        lastSucceeded(app.name())
            .orElseThrow(
                () ->
                    new ConflictException(
                        "environment '"
                            + env
                            + "' (app "
                            + app.name()
                            + ") has no succeeded release to promote; release it there first"));
    String image =
        apps.revision(app.name(), succeeded.toRevision())
            .map(Revision::spec)
            .map(AppSpec::image)
            .orElseThrow(
                () -> new NotFoundException("revision", app.name() + "@" + succeeded.toRevision()));
    return new Source(succeeded, digests.pin(image, app.cluster()));
  }
}
