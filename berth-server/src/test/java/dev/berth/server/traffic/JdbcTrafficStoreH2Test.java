package dev.berth.server.traffic;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The traffic store contract on H2, the embedded default database. */
class JdbcTrafficStoreH2Test extends JdbcTrafficStoreContract {
  private HikariDataSource dataSource;

  @Override
  DataSource dataSource() {
    dataSource = TestDatabases.h2();
    return dataSource;
  }

  @AfterAll
  void dropDatabase() {
    dataSource.close();
  }
}
