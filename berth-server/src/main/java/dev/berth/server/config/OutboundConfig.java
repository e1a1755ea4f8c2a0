package dev.berth.server.config;

import dev.berth.core.outbound.OutboundPolicy;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where outbound calls that users aim (task callbacks, alert webhooks) may go: {@code
 * berth.outbound.allow} and {@code berth.outbound.refuse}, each a list of address blocks ({@code
 * 169.254.0.0/16}, {@code 10.0.0.0/8}) or host names, on top of the default refusal of link-local
 * and cloud metadata addresses ({@link OutboundPolicy}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundConfig.OutboundProperties.class)
public class OutboundConfig {

  /**
   * @param allow blocks or names calls may go to even where the defaults refuse them
   * @param refuse blocks or names refused in addition to the defaults
   */
  @ConfigurationProperties("berth.outbound")
  public record OutboundProperties(
      @DefaultValue List<String> allow, @DefaultValue List<String> refuse) {}

  @Bean
  OutboundPolicy outboundPolicy(OutboundProperties properties) {
    try {
      return OutboundPolicy.of(properties.allow(), properties.refuse());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "berth.outbound.allow/refuse: " + e.getMessage() + "; fix the setting and start again",
          e);
    }
  }
}
