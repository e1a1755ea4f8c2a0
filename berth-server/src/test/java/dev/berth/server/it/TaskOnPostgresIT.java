package dev.berth.server.it;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every task test of {@link TaskIT} (runs, triggers, callbacks, logs) with Berth on PostgreSQL
 * instead of H2.
 */
class TaskOnPostgresIT extends TaskIT {
  /** Hides {@link TaskIT#start}: the same fixture on bridge 136 and PostgreSQL. */
  @BeforeAll
  static void start() throws Exception {
    fixture =
        LocalBerth.start(
            136, "tasks", LocalBerth.onPostgres(Map.of("berth.tasks.callback-backoff", "200ms")));
    registry = fixture.registry;
    image = fixture.image;
    berth = fixture.berth;
  }
}
