package dev.berth.server.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.testing.TestJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What every database Berth runs on must do for inspection reports. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcInspectionStoreContract {
  static final Instant T0 = Instant.parse("2026-12-03T09:00:00.123456Z");

  JdbcClient jdbc;
  JdbcInspectionStore store;

  abstract DataSource dataSource();

  @BeforeAll
  void createStore() {
    jdbc = JdbcClient.create(dataSource());
    store = new JdbcInspectionStore(jdbc, TestJson.mapper());
  }

  @BeforeEach
  void empty() {
    jdbc.sql("DELETE FROM inspections").update();
  }

  static Report report(String cluster, Instant at, Finding... findings) {
    int failures =
        (int) List.of(findings).stream().filter(f -> f.status() == Finding.Status.FAIL).count();
    return new Report(
        0, cluster, "manual", "admin", at, at.plusSeconds(2), failures, 0, List.of(findings));
  }

  @Test
  void storesAReportWithItsFindingsAndReadsItBackByClusterAndId() {
    Report stored =
        store.add(
            report(
                "local",
                T0,
                Finding.ok("node-ready", "host", "ready"),
                Finding.fail("registry", "gone", "registry unreachable at http://127.0.0.1:1")));

    Report read = store.get("local", stored.id()).orElseThrow();
    assertThat(read).isEqualTo(stored);
    assertThat(read.result()).isEqualTo("failed");
    assertThat(read.failed()).extracting(Finding::item).containsExactly("gone");
    assertThat(store.get("other", stored.id())).isEmpty();
  }

  @Test
  void listsAClustersReportsNewestFirstWithoutFindingsAndPagesByIdCursor() {
    Report a = store.add(report("local", T0, Finding.ok("x", "y", "z")));
    Report b = store.add(report("local", T0.plusSeconds(60)));
    store.add(report("k8s", T0.plusSeconds(90)));
    Report c = store.add(report("local", T0.plusSeconds(120)));

    List<Report> first = store.list("local", Long.MAX_VALUE, 2);
    assertThat(first).extracting(Report::id).containsExactly(c.id(), b.id());
    assertThat(first).allSatisfy(r -> assertThat(r.findings()).isNull());
    assertThat(store.list("local", b.id(), 2)).extracting(Report::id).containsExactly(a.id());
  }

  @Test
  void knowsTheLastStartAndSweepsOldReports() {
    assertThat(store.lastStart()).isEmpty();
    store.add(report("local", T0));
    store.add(report("local", T0.plus(Duration.ofDays(40))));

    assertThat(store.lastStart())
        .contains(T0.plus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(store.sweep(T0.plus(Duration.ofDays(10)))).isEqualTo(1);
    assertThat(store.list("local", Long.MAX_VALUE, 10)).hasSize(1);
  }
}
