package dev.berth.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.server.testing.TestDatabases;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Open terminals stored with the Berth that holds them, and each Berth's last sign of life. */
class JdbcOpenTerminalsH2Test {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final HikariDataSource db = TestDatabases.h2();
  private final JdbcOpenTerminals a = new JdbcOpenTerminals(JdbcClient.create(db), "a:8080");
  private final JdbcOpenTerminals b = new JdbcOpenTerminals(JdbcClient.create(db), "b:8080");

  @AfterEach
  void close() {
    db.close();
  }

  static TerminalSession session(String id, Instant at) {
    return new TerminalSession(
        id,
        new TerminalTarget(TerminalTarget.INSTANCE, "web-0", "web", "shop", "local"),
        "alice",
        "token 12",
        at,
        100,
        30);
  }

  @Test
  void anOpenedTerminalIsStoredWithItsBerthUntilClosedOnce() {
    a.opened(session("s1", T0));
    b.opened(session("s2", T0.plusSeconds(1)));

    assertThat(a.all())
        .extracting(r -> r.session().id() + "@" + r.berth())
        .containsExactly("s1@a:8080", "s2@b:8080");
    JdbcOpenTerminals.Row first = a.all().getFirst();
    assertThat(first.session().actor()).isEqualTo("alice");
    assertThat(first.session().via()).isEqualTo("token 12");
    assertThat(first.session().openedAt()).isEqualTo(T0);
    assertThat(first.session().target())
        .isEqualTo(new TerminalTarget(TerminalTarget.INSTANCE, "web-0", "web", "shop", "local"));

    assertThat(a.closed("s1")).isTrue();
    assertThat(b.closed("s1")).isFalse();
    assertThat(a.all()).extracting(r -> r.session().id()).containsExactly("s2");
  }

  @Test
  void aBerthsLastSignOfLifeIsItsLatestBeatOrOpening() {
    a.alive(T0);
    a.opened(session("s1", T0.plusSeconds(4)));
    b.alive(T0.plusSeconds(2));
    a.alive(T0.plusSeconds(10));

    assertThat(a.lastSeen())
        .containsEntry("a:8080", T0.plusSeconds(10))
        .containsEntry("b:8080", T0.plusSeconds(2))
        .hasSize(2);
  }
}
