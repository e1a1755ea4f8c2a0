package dev.berth.server.task;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.PostgresServer;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The store contract on a real PostgreSQL server (see {@link PostgresServer}). */
class JdbcTaskStorePostgresIT extends JdbcTaskStoreContract {
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
