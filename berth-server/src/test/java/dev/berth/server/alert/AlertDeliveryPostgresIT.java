package dev.berth.server.alert;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;

/** {@link AlertDeliveryTest} with the alert stores on a real PostgreSQL. */
class AlertDeliveryPostgresIT extends AlertDeliveryTest {
  @Override
  HikariDataSource database() {
    return TestDatabases.postgres();
  }
}
