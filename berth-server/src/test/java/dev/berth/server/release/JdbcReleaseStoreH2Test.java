package dev.berth.server.release;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The release store contract on H2. */
class JdbcReleaseStoreH2Test extends JdbcReleaseStoreContract {
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
