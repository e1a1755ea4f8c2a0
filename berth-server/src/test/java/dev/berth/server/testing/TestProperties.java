package dev.berth.server.testing;

import dev.berth.server.config.BerthProperties;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@link BerthProperties} bound the way Spring binds them, so that new settings keep their
 * defaults.
 */
public final class TestProperties {
  private TestProperties() {}

  /**
   * Settings under {@code berth.} (e.g. {@code admin-token}), with {@code data-dir} set to {@code
   * dataDir}.
   */
  public static BerthProperties berth(Path dataDir, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>();
    settings.forEach((k, v) -> all.put("berth." + k, v));
    all.put("berth.data-dir", dataDir.toString());
    return new Binder(new MapConfigurationPropertySource(all))
        .bindOrCreate("berth", BerthProperties.class);
  }
}
