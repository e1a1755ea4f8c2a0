package dev.berth.server.config;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wiring shared by the stores. The JDBC stores themselves are {@code @Repository} components. */
@Configuration(proxyBeanMethods = false)
public class StoreConfig {
  /**
   * The system clock in UTC, unless another configuration provides one (tests, a mutable clock).
   */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  public Clock clock() {
    return Clock.systemUTC();
  }
}
