package dev.berth.server.support.exec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one bound of execs shared by the features that run commands in instances and in runs, so that
 * both count against the same {@code berth.exec.*} settings.
 */
@Configuration(proxyBeanMethods = false)
public class ExecLimitConfig {
  @Bean
  ExecLimiter execLimiter(ExecLimitProperties properties) {
    return new ExecLimiter(properties.execs());
  }
}
