package dev.berth.core.release;

import dev.berth.core.app.AppSpec;

/**
 * What to release: an existing {@code revision}'s spec, a whole {@code spec}, or the current spec
 * with another {@code image} (exactly one), by {@code strategy} (null: the app's default).
 */
public record ReleaseRequest(Long revision, AppSpec spec, String image, ReleaseStrategy strategy) {
  public static ReleaseRequest ofRevision(long revision, ReleaseStrategy strategy) {
    return new ReleaseRequest(revision, null, null, strategy);
  }

  public static ReleaseRequest ofImage(String image, ReleaseStrategy strategy) {
    return new ReleaseRequest(null, null, image, strategy);
  }
}
