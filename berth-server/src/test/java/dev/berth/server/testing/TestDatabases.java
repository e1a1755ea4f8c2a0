package dev.berth.server.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Databases for store tests: a private in-memory H2 one, or a fresh one on the shared PostgreSQL.
 */
public final class TestDatabases {
  private TestDatabases() {}

  /** A new in-memory H2 database, migrated. Close the returned pool to drop it. */
  public static HikariDataSource h2() {
    return migrated(
        pool("jdbc:h2:mem:berth-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "berth", ""));
  }

  /** A new database on the JVM's shared PostgreSQL server, migrated. */
  public static HikariDataSource postgres() {
    PostgresServer server = PostgresServer.shared();
    return migrated(pool(server.createDatabase(), server.username(), server.password()));
  }

  public static <T extends DataSource> T migrated(T dataSource) {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    return dataSource;
  }

  private static HikariDataSource pool(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(4);
    config.setPoolName("test-" + url.replaceAll("[^a-zA-Z0-9]+", "-"));
    return new HikariDataSource(config);
  }
}
