package dev.berth.server.team;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The team and audit store contract on H2, the embedded default database. */
class TeamAuditStoresH2Test extends TeamAuditStoresContract {
  private HikariDataSource dataSource;

  @Override
  DataSource dataSource() {
    dataSource = TestDatabases.h2();
    return dataSource;
  }

  @AfterAll
  void dropDatabase() {
    jdbc.sql("SHUTDOWN").update();
    dataSource.close();
  }
}
