package dev.berth.server.build;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The build store contract on H2, the embedded default database. */
class JdbcBuildStoreH2Test extends JdbcBuildStoreContract {
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
