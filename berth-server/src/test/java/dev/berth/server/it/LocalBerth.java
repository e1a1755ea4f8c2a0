package dev.berth.server.it;

import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.nio.file.Files;
import java.util.Map;

/**
 * What an integration-test class needs: a real registry holding the busybox demo image, and a Berth
 * server with the local cluster on the class's own bridge, subnet and cgroup parent. Closing it
 * deletes the apps (their containers stop gracefully), stops the server, removes what is left on
 * the host and stops the registry.
 */
final class LocalBerth implements AutoCloseable {
  final TestRegistry registry;
  final String image;
  final BerthServer berth;
  private final String bridge;

  /** The first three parts of the class's subnet, with the dot: {@code 10.203.<n>.}. */
  final String subnetPrefix;

  private LocalBerth(
      TestRegistry registry, String image, BerthServer berth, String bridge, String subnetPrefix) {
    this.subnetPrefix = subnetPrefix;
    this.registry = registry;
    this.image = image;
    this.berth = berth;
    this.bridge = bridge;
  }

  /**
   * @param n the class's number: bridge {@code berthit<n>}, subnet {@code 10.203.<n>.0/24}, cgroup
   *     parent {@code berth-it<n>}
   * @param page the text the demo image's httpd serves
   */
  static LocalBerth start(int n, String page, Map<String, String> settings) throws Exception {
    TestRegistry registry = TestRegistry.start();
    try {
      String image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", page);
      String bridge = "berthit" + n;
      BerthServer server =
          new BerthServer(
              Files.createTempDirectory("berth-it-" + n + "-"),
              bridge,
              "10.203." + n + ".0/24",
              "berth-it" + n);
      settings.forEach(server::with);
      return new LocalBerth(registry, image, server.start(), bridge, "10.203." + n + ".");
    } catch (Exception | Error e) {
      registry.close();
      throw e;
    }
  }

  /**
   * {@code settings} plus a fresh database on the JVM's shared real PostgreSQL server instead of
   * the data directory's H2 file: for the suites that also run on PostgreSQL.
   */
  static Map<String, String> onPostgres(Map<String, String> settings) {
    dev.berth.server.testing.PostgresServer pg = dev.berth.server.testing.PostgresServer.shared();
    Map<String, String> all = new java.util.LinkedHashMap<>(settings);
    all.put("spring.datasource.url", pg.createDatabase());
    all.put("spring.datasource.username", pg.username());
    all.put("spring.datasource.password", pg.password());
    return all;
  }

  static void close(LocalBerth fixture) {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Override
  public void close() {
    try {
      Cleanup.deleteAllApps(berth);
    } catch (RuntimeException | AssertionError e) {
      System.err.println(
          "apps not deleted through the API (" + e + "); removing what is left by hand");
    } finally {
      berth.close();
      Cleanup.local(berth.dataDir(), bridge, berth.cgroupParent());
      registry.close();
    }
  }
}
