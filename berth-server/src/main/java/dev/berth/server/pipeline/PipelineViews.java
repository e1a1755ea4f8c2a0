package dev.berth.server.pipeline;

import dev.berth.core.app.App;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Builds {@link PipelineJson}: each environment's app, digest and last succeeded release. */
@Component
public class PipelineViews {
  private final PipelineOperations pipelines;
  private final PromotionSources sources;
  private final DigestPinning digests;

  public PipelineViews(
      PipelineOperations pipelines, PromotionSources sources, DigestPinning digests) {
    this.pipelines = pipelines;
    this.sources = sources;
    this.digests = digests;
  }

  /**
   * @param resolve whether to resolve tags to digests (a registry request per environment);
   *     otherwise only digests already in the image reference are shown
   */
  public PipelineJson view(Pipeline p, boolean resolve) {
    return PipelineJson.of(
        p,
        e -> {
          Optional<App> app = pipelines.app(e);
          String digest = app.map(a -> digest(a, resolve)).orElse(null);
          return new PipelineJson.EnvironmentState(
              app, digest, app.flatMap(a -> sources.lastSucceeded(a.name())));
        });
  }

  private String digest(App a, boolean resolve) {
    String image = a.spec().image();
    String pinned = DigestPinning.digestOf(image);
    if (pinned != null || !resolve) {
      return pinned;
    }
    try {
      return DigestPinning.digestOf(digests.pin(image, a.cluster()));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
