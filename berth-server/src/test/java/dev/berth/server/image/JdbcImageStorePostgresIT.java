package dev.berth.server.image;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The image store contract on a real PostgreSQL server. */
class JdbcImageStorePostgresIT extends JdbcImageStoreContract {
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
