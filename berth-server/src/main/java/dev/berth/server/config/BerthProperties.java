package dev.berth.server.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Berth's own settings, from {@code application.yml}, flags ({@code --berth.data-dir=...}) or the
 * environment ({@code BERTH_DATA_DIR}, {@code BERTH_ADMIN_PASSWORD}, {@code BERTH_ADMIN_TOKEN},
 * ...).
 *
 * @param dataDir where the embedded database, images, containers and logs live
 * @param adminPassword the first start's admin password; generated and printed when empty
 * @param adminToken the first start's admin API token; generated and written to the data directory
 *     when empty
 * @param local the embedded single-host cluster
 * @param eventRetention how long events are kept
 */
@ConfigurationProperties("berth")
public record BerthProperties(
    @DefaultValue("data") Path dataDir,
    String adminPassword,
    String adminToken,
    @DefaultValue Local local,
    @DefaultValue("7d") Duration eventRetention) {

  /**
   * The embedded {@code local} cluster.
   *
   * @param enabled whether this server runs containers on its own host
   * @param bridge the Linux bridge instances attach to
   * @param subnet the bridge's subnet; the first address is the host's, instances get the others
   * @param runc the runc binary
   * @param cgroupParent the cgroup under which instances' cgroups are made
   * @param insecureRegistries registries reached over plain HTTP (loopback ones always are)
   */
  public record Local(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("berth0") String bridge,
      @DefaultValue("10.88.0.0/16") String subnet,
      @DefaultValue("runc") String runc,
      @DefaultValue("berth") String cgroupParent,
      @DefaultValue("") java.util.List<String> insecureRegistries) {}
}
