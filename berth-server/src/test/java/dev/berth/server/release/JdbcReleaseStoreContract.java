package dev.berth.server.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.release.InstancePhase;
import dev.berth.core.release.InstanceProgress;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseState;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.support.ConflictException;
import dev.berth.server.testing.TestJson;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * What every database must do for the release store: a release comes back as it was written, with
 * its batches and per-instance progress; writes are version-checked; a superseding release and the
 * one it supersedes are written together, so an app has at most one active release.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcReleaseStoreContract {
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00.123456Z");
  JdbcClient jdbc;
  JdbcReleaseStore store;

  abstract DataSource dataSource();

  @BeforeAll
  void createStore() {
    DataSource ds = dataSource();
    jdbc = JdbcClient.create(ds);
    store = new JdbcReleaseStore(jdbc, new JdbcTransactionManager(ds), TestJson.mapper());
  }

  @BeforeEach
  void emptyTables() {
    jdbc.sql("DELETE FROM releases").update();
    jdbc.sql("DELETE FROM release_strategies").update();
  }

  static Release fresh(String app, long from, long to) {
    ReleaseStrategy s =
        new ReleaseStrategy(
            1,
            ReleaseStrategy.Batches.percentages(50, 50),
            ReleaseStrategy.Promotion.MANUAL,
            30,
            2,
            120,
            ReleaseStrategy.OnFailure.FAIL,
            List.of("web-0", "10.0.0.7"));
    return Release.start(app, from, to, s, 4, List.of(0), List.of(), "bob", T0);
  }

  @Test
  void aReleaseComesBackAsItWasWritten() {
    Release created = store.create(fresh("web", 1, 2), null);
    assertThat(created.id()).isPositive();
    assertThat(created.version()).isEqualTo(1);
    Release moved =
        created.withProgress(
            0,
            created.batches(),
            List.of(new InstanceProgress(0, "web-0", InstancePhase.UPDATING, T0)),
            T0.plusSeconds(5));
    Release saved = store.update(moved);
    assertThat(saved.version()).isEqualTo(2);
    assertThat(store.find("web", created.id())).contains(saved);
    assertThat(store.find("other", created.id())).isEmpty();
    assertThat(store.active("web")).contains(saved);
    assertThat(store.latest("web")).contains(saved);
  }

  @Test
  void aStaleWriteIsRefused() {
    Release created = store.create(fresh("web", 1, 2), null);
    store.update(created.withState(ReleaseState.PAUSED, "PausedByHand", "paused", T0));
    assertThatThrownBy(
            () -> store.update(created.withState(ReleaseState.PAUSED, "PausedByHand", "again", T0)))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void aSupersededReleaseIsWrittenWithItsSuccessorAndListsNewestFirst() {
    Release first = store.create(fresh("web", 1, 2), null);
    Release second =
        store.create(
            fresh("web", 1, 3), first.withState(ReleaseState.SUPERSEDED, "Superseded", "by 3", T0));
    assertThat(store.active("web")).contains(second);
    assertThat(store.find("web", first.id()).orElseThrow().state())
        .isEqualTo(ReleaseState.SUPERSEDED);
    assertThat(store.list("web", 0, 10).items())
        .extracting(Release::id)
        .containsExactly(second.id(), first.id());
    assertThat(store.list("web", 0, 10).total()).isEqualTo(2);
    assertThat(store.list("web", 1, 1).items()).extracting(Release::id).containsExactly(first.id());
  }

  @Test
  void theDefaultStrategyIsKeptPerAppAndGoesWithTheApp() {
    assertThat(store.defaultStrategy("web")).isEmpty();
    ReleaseStrategy s = fresh("web", 1, 2).strategy();
    store.setDefaultStrategy("web", s);
    assertThat(store.defaultStrategy("web")).contains(s);
    store.create(fresh("web", 1, 2), null);
    store.deleteAll("web");
    assertThat(store.defaultStrategy("web")).isEmpty();
    assertThat(store.latest("web")).isEmpty();
  }
}
