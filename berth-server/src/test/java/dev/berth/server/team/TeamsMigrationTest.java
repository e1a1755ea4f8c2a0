package dev.berth.server.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Migration V6 on a database from before teams: platform roles become roles in team 'default'. */
class TeamsMigrationTest {
  @Test
  void turnsMembersIntoDevelopersAndViewersIntoViewersOfTheDefaultTeam() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:berth-migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    config.setUsername("berth");
    try (HikariDataSource ds = new HikariDataSource(config)) {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration")
          .target("5")
          .load()
          .migrate();
      JdbcClient jdbc = JdbcClient.create(ds);
      for (List<String> u :
          List.of(List.of("root", "ADMIN"), List.of("dev", "MEMBER"), List.of("eve", "VIEWER"))) {
        jdbc.sql(
                "INSERT INTO users (name, password_hash, role, created_at) VALUES (?, 'x', ?, CURRENT_TIMESTAMP)")
            .params(u.get(0), u.get(1))
            .update();
      }
      jdbc.sql(
              """
          INSERT INTO apps (name, team, owner, cluster, spec_json, revision, instances, reserved_ordinals, version, created_at, updated_at)
          VALUES ('old', NULL, 'dev', 'local', '{}', 1, 1, '[]', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
                 ('pay', 'payments', 'dev', 'local', '{}', 1, 1, '[]', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""")
          .update();

      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

      assertThat(jdbc.sql("SELECT name, role FROM users ORDER BY name").query().listOfRows())
          .containsExactly(
              Map.of("NAME", "dev", "ROLE", "MEMBER"),
              Map.of("NAME", "eve", "ROLE", "MEMBER"),
              Map.of("NAME", "root", "ROLE", "ADMIN"));
      assertThat(
              jdbc.sql(
                      "SELECT user_name, role FROM team_members WHERE team = 'default' ORDER BY user_name")
                  .query()
                  .listOfRows())
          .containsExactly(
              Map.of("USER_NAME", "dev", "ROLE", "DEVELOPER"),
              Map.of("USER_NAME", "eve", "ROLE", "VIEWER"));
      assertThat(jdbc.sql("SELECT name FROM teams ORDER BY name").query(String.class).list())
          .containsExactly("default", "payments");
      assertThat(jdbc.sql("SELECT team FROM apps WHERE name = 'old'").query(String.class).single())
          .isEqualTo("default");
      jdbc.sql("SHUTDOWN").update();
    }
  }
}
