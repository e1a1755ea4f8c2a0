package dev.berth.server.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The store contract on H2, the embedded default database. */
class JdbcStoresH2Test extends JdbcStoresContract {
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
