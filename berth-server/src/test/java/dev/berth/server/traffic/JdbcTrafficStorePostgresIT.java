package dev.berth.server.traffic;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The traffic store contract on a real PostgreSQL server. */
class JdbcTrafficStorePostgresIT extends JdbcTrafficStoreContract {
  private HikariDataSource dataSource;

  @Override
  DataSource dataSource() {
    dataSource = TestDatabases.postgres();
    return dataSource;
  }

  @AfterAll
  void closePool() {
    if (dataSource != null) {
      dataSource.close();
    }
  }
}
