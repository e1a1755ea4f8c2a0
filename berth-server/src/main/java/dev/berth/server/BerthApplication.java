package dev.berth.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Berth's server: REST API, portal, controllers and the embedded local cluster. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BerthApplication {
  public static void main(String[] args) {
    SpringApplication.run(BerthApplication.class, args);
  }
}
