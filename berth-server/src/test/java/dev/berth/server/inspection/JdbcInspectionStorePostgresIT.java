package dev.berth.server.inspection;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The inspection store contract on a real PostgreSQL server. */
class JdbcInspectionStorePostgresIT extends JdbcInspectionStoreContract {
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
