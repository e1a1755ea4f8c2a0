package dev.berth.server.build;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Image build settings ({@code berth.builds.*}, e.g. {@code BERTH_BUILDS_CONCURRENCY}).
 *
 * @param concurrency how many builds run at once; the others wait in state {@code queued}
 * @param maxUploadSize the largest multipart request (spec and all uploaded files); larger is a 413
 * @param maxUnpackedSize the most bytes the archives of one build may unpack to
 * @param logLines the most log lines kept per build (the oldest are dropped)
 */
@ConfigurationProperties("berth.builds")
public record BuildProperties(
    @DefaultValue("2") int concurrency,
    @DefaultValue("512MB") DataSize maxUploadSize,
    @DefaultValue("2GB") DataSize maxUnpackedSize,
    @DefaultValue("2000") int logLines) {
  public BuildProperties {
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "berth.builds.concurrency must be >= 1, was " + concurrency);
    }
  }
}
