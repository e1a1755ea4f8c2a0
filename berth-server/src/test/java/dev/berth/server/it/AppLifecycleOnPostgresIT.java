package dev.berth.server.it;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** Every app lifecycle test of {@link AppLifecycleIT} with Berth on PostgreSQL instead of H2. */
class AppLifecycleOnPostgresIT extends AppLifecycleIT {
  /** Hides {@link AppLifecycleIT#start}: the same fixture on bridge 135 and PostgreSQL. */
  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(135, "hello from berth", LocalBerth.onPostgres(Map.of()));
    registry = fixture.registry;
    image = fixture.image;
    berth = fixture.berth;
  }
}
