package dev.berth.server.pipeline;

import dev.berth.core.app.AppService;
import dev.berth.core.release.ReleaseService;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.support.TeamImagePolicy;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires promotions to the app and release services, and on start releases the promotions that were
 * approved while Berth stopped before their release began.
 */
@Configuration(proxyBeanMethods = false)
public class PipelineConfig {
  @Bean
  Promotions.Parts promotionParts(
      AppService apps,
      ReleaseStore releaseStore,
      ReleaseService releases,
      PromotionSources sources,
      PromotionEvents events,
      TeamImagePolicy images) {
    return new Promotions.Parts(apps, releaseStore, releases, sources, events, images);
  }

  @Bean
  ApplicationListener<ApplicationReadyEvent> approvedPromotionsOnStart(Promotions promotions) {
    return e -> promotions.resumeApproved();
  }
}
