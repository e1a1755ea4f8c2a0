package dev.berth.server.image;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;

/** The image store contract on H2, the embedded default database. */
class JdbcImageStoreH2Test extends JdbcImageStoreContract {
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
