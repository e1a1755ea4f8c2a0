package dev.berth.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.app.App;
import dev.berth.core.app.AppPhase;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStatus;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Health;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.PortSpec;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Revision;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.core.event.EventType;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.server.event.JdbcEventStore;
import dev.berth.server.support.jdbc.Sql;
import dev.berth.server.testing.MutableClock;
import dev.berth.server.testing.TestJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * What every database Berth runs on must do for the stores. Subclasses supply a migrated, empty
 * database; tables are emptied before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcStoresContract {
  /** Has nanoseconds on purpose: the stores keep microseconds. */
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

  final MutableClock clock = new MutableClock(T0);
  JdbcClient jdbc;
  JdbcAppStore apps;
  JdbcEventStore events;

  /** A migrated database for this class; called once. */
  abstract DataSource dataSource();

  @BeforeAll
  void createStores() {
    DataSource ds = dataSource();
    jdbc = JdbcClient.create(ds);
    apps = new JdbcAppStore(jdbc, new JdbcTransactionManager(ds), TestJson.mapper(), clock);
    events = new JdbcEventStore(jdbc);
  }

  @BeforeEach
  void emptyTables() {
    for (String table : List.of("revisions", "apps", "events", "api_tokens", "users", "clusters")) {
      jdbc.sql("DELETE FROM " + table).update();
    }
    clock.set(T0);
  }

  // --- apps ---

  @Test
  void createsAnAppWithItsFirstRevisionAndFindsItAgain() {
    App created = apps.create(app("web", 2), revision("web", 1));

    assertThat(created.version()).isEqualTo(1);
    assertThat(created.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123456Z"));
    assertThat(apps.find("web")).contains(created);
    assertThat(apps.find("web").orElseThrow().spec()).isEqualTo(spec("busybox:1"));
    assertThat(apps.find("web").orElseThrow().reservedOrdinals()).containsExactly(1, 4);
    assertThat(apps.find("web").orElseThrow().status().phase()).isEqualTo(AppPhase.PENDING);
    assertThat(apps.revisions("web")).extracting(Revision::number).containsExactly(1L);
    assertThat(apps.find("nope")).isEmpty();
  }

  @Test
  void refusesADuplicateNameAndKeepsTheFirstApp() {
    apps.create(app("web", 2), revision("web", 1));

    assertThatThrownBy(() -> apps.create(app("web", 5), revision("web", 1)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("app 'web' already exists");
    assertThat(apps.find("web").orElseThrow().instances()).isEqualTo(2);
    assertThat(apps.revisions("web")).hasSize(1);
  }

  @Test
  void listsAppsPageByPageInNameOrderWithATotal() {
    for (String name : List.of("e", "b", "a", "d", "c")) {
      apps.create(app(name, 1), revision(name, 1));
    }

    Page<App> first = apps.list(null, 0, 2);
    Page<App> last = apps.list("", 2, 2);

    assertThat(first.items()).extracting(App::name).containsExactly("a", "b");
    assertThat(first.total()).isEqualTo(5);
    assertThat(last.items()).extracting(App::name).containsExactly("e");
    assertThat(last.total()).isEqualTo(5);
    assertThat(apps.list(null, 3, 2).items()).isEmpty();
  }

  @Test
  void searchesNamesTakingPercentUnderscoreAndEscapeCharactersLiterally() {
    for (String name : List.of("web-api", "web-ui", "db", "a_b", "axb", "a%b", "a!b", "a\\b")) {
      apps.create(app(name, 1), revision(name, 1));
    }

    assertThat(names(apps.list("web", 0, 10))).containsExactly("web-api", "web-ui");
    assertThat(names(apps.list(" WEB-U ", 0, 10))).containsExactly("web-ui");
    assertThat(names(apps.list("a_b", 0, 10))).containsExactly("a_b");
    assertThat(names(apps.list("_", 0, 10))).containsExactly("a_b");
    assertThat(names(apps.list("%", 0, 10))).containsExactly("a%b");
    assertThat(names(apps.list("!", 0, 10))).containsExactly("a!b");
    assertThat(names(apps.list("\\", 0, 10))).containsExactly("a\\b");
    Page<App> page = apps.list("a", 1, 2);
    assertThat(page.total()).isEqualTo(6);
    assertThat(names(page)).containsExactly("a\\b", "a_b");
  }

  @Test
  void namesAppsOfOneClusterIncludingThoseBeingDeleted() {
    apps.create(app("web", 1), revision("web", 1));
    App db = apps.create(app("db", 1), revision("db", 1));
    apps.create(withCluster(app("other", 1), "edge"), revision("other", 1));
    apps.update(deleting(db), db.version(), null);

    assertThat(apps.names("local")).containsExactly("db", "web");
    assertThat(apps.names("edge")).containsExactly("other");
  }

  @Test
  void updatesTheDesiredStateWithANewRevisionAndBumpsTheVersion() {
    App v1 = apps.create(app("web", 2), revision("web", 1));
    clock.advance(Duration.ofMinutes(5));

    App changed =
        new App(
            "web",
            "team-b",
            "bob",
            "local",
            spec("busybox:2"),
            2,
            3,
            Set.of(0),
            false,
            v1.version(),
            v1.status(),
            v1.createdAt(),
            v1.updatedAt());
    App v2 =
        apps.update(
            changed,
            1,
            new Revision(
                "web", 2, spec("busybox:2"), "bob", clock.instant(), "resized live: cpu 0.1→0.5"));

    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.revision()).isEqualTo(2);
    assertThat(v2.instances()).isEqualTo(3);
    assertThat(v2.team()).isEqualTo("team-b");
    assertThat(v2.reservedOrdinals()).containsExactly(0);
    assertThat(v2.createdAt()).isEqualTo(v1.createdAt());
    assertThat(v2.updatedAt()).isEqualTo(Sql.micros(T0.plus(Duration.ofMinutes(5))));
    assertThat(apps.find("web")).contains(v2);
    assertThat(apps.revisions("web")).extracting(Revision::number).containsExactly(1L, 2L);
    assertThat(apps.revision("web", 2).orElseThrow().spec()).isEqualTo(spec("busybox:2"));
    assertThat(apps.revision("web", 2).orElseThrow().createdBy()).isEqualTo("bob");
    assertThat(apps.revision("web", 2).orElseThrow().change())
        .isEqualTo("resized live: cpu 0.1→0.5");
    assertThat(apps.revisions("web"))
        .extracting(Revision::resizedLive)
        .containsExactly(false, true);
    assertThat(apps.revision("web", 3)).isEmpty();
  }

  @Test
  void refusesAChangeMadeAgainstAStaleVersion() {
    App v1 = apps.create(app("web", 2), revision("web", 1));
    apps.update(scaled(v1, 3), 1, null);

    assertThatThrownBy(() -> apps.update(scaled(v1, 4), 1, revision("web", 2)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("app 'web' was changed by someone else (version 2, yours 1); reload and retry");
    assertThat(apps.find("web").orElseThrow().instances()).isEqualTo(3);
    assertThat(apps.revisions("web")).hasSize(1);
  }

  @Test
  void refusesToUpdateAnAppThatDoesNotExist() {
    assertThatThrownBy(() -> apps.update(app("ghost", 1), 1, null))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("app 'ghost' does not exist");
  }

  @Test
  void writesTheStatusWithoutBumpingTheVersion() {
    App v1 = apps.create(app("web", 2), revision("web", 1));
    AppStatus running = new AppStatus(AppPhase.RUNNING, 2, 2, 1, 1, 0, "all ready");

    apps.updateStatus("web", running);

    App found = apps.find("web").orElseThrow();
    assertThat(found.status()).isEqualTo(running);
    assertThat(found.version()).isEqualTo(v1.version());
    assertThat(found.updatedAt()).isEqualTo(v1.updatedAt());
    App v2 = apps.update(scaled(found, 5), v1.version(), null);
    assertThat(v2.status()).isEqualTo(running);
    assertThat(jdbc.sql("SELECT status_json FROM apps").query(String.class).single())
        .contains("\"Running\"");
  }

  @Test
  void deletesAnAppWithItsRevisions() {
    App v1 = apps.create(app("web", 2), revision("web", 1));
    apps.update(v1, 1, revision("web", 2));
    apps.create(app("db", 1), revision("db", 1));

    apps.delete("web");

    assertThat(apps.find("web")).isEmpty();
    assertThat(apps.revisions("web")).isEmpty();
    assertThat(apps.revisions("db")).hasSize(1);
    apps.create(app("web", 1), revision("web", 1));
    assertThat(apps.revisions("web")).hasSize(1);
  }

  // --- events ---

  @Test
  void appendsEventsWithGrowingIds() {
    Event a = events.append(Event.normal(T0, "local", "app", "web", "web", "Created", "created"));
    Event b =
        events.append(
            Event.warning(T0, "local", "instance", "web-0", "web", "OOMKilled", "out of memory"));

    assertThat(a.id()).isPositive();
    assertThat(b.id()).isGreaterThan(a.id());
    assertThat(a.time()).isEqualTo(Sql.micros(T0));
    assertThat(events.query(new EventQuery(null, null, null, 0, 10))).containsExactly(b, a);
  }

  @Test
  void queriesEventsByObjectNewestFirst() {
    Event app = events.append(Event.normal(T0, "local", "app", "web", "web", "Created", "created"));
    Event web0 =
        events.append(Event.normal(T0, "local", "instance", "web-0", "web", "Started", "started"));
    Event web1 =
        events.append(Event.normal(T0, "local", "instance", "web-1", "web", "Started", "started"));
    Event db = events.append(Event.normal(T0, "local", "app", "db", "db", "Created", "created"));
    Event task =
        events.append(
            Event.normal(T0, "local", "task", "web", null, "Created", "a task named like the app"));

    assertThat(query("instance/web-0")).containsExactly(web0);
    assertThat(query("web-1")).containsExactly(web1);
    assertThat(query("web")).containsExactly(task, web1, web0, app);
    assertThat(query("app/web")).containsExactly(web1, web0, app);
    assertThat(query("task/web")).containsExactly(task);
    assertThat(query("db")).containsExactly(db);
    assertThat(query("nothing")).isEmpty();
  }

  @Test
  void queriesEventsByTypeAndTime() {
    Event old = events.append(Event.warning(T0, "local", "app", "web", "web", "Failed", "old"));
    Event normal =
        events.append(
            Event.normal(T0.plusSeconds(60), "local", "app", "web", "web", "Scaled", "to 3"));
    Event warning =
        events.append(
            Event.warning(T0.plusSeconds(120), "local", "app", "web", "web", "Failed", "new"));

    assertThat(events.query(new EventQuery(null, EventType.WARNING, null, 0, 10)))
        .containsExactly(warning, old);
    assertThat(events.query(new EventQuery(null, null, T0.plusSeconds(60), 0, 10)))
        .containsExactly(warning, normal);
    assertThat(events.query(new EventQuery("web", EventType.WARNING, T0.plusSeconds(1), 0, 10)))
        .containsExactly(warning);
  }

  @Test
  void pagesBackwardsThroughEventsWithBeforeId() {
    for (int i = 0; i < 7; i++) {
      events.append(
          Event.normal(T0.plusSeconds(i), "local", "app", "web", "web", "Tick", "tick " + i));
    }

    List<Event> first = events.query(new EventQuery("app/web", null, null, 0, 3));
    List<Event> second =
        events.query(new EventQuery("app/web", null, null, first.getLast().id(), 3));
    List<Event> third =
        events.query(new EventQuery("app/web", null, null, second.getLast().id(), 3));

    assertThat(first).extracting(Event::message).containsExactly("tick 6", "tick 5", "tick 4");
    assertThat(second).extracting(Event::message).containsExactly("tick 3", "tick 2", "tick 1");
    assertThat(third).extracting(Event::message).containsExactly("tick 0");
  }

  @Test
  void capsTheNumberOfEventsAQueryReturns() {
    for (int i = 0; i < 1005; i++) {
      jdbc.sql(
              "INSERT INTO events (time, cluster, kind, name, app, type, reason, message) VALUES (?, 'local', 'app', 'web', 'web', 'NORMAL', 'Tick', 'tick')")
          .param(Sql.ts(T0))
          .update();
    }

    assertThat(events.query(new EventQuery(null, null, null, 0, 5000))).hasSize(1000);
    assertThat(events.query(new EventQuery(null, null, null, 0, 0)))
        .hasSize(JdbcEventStore.DEFAULT_LIMIT);
  }

  @Test
  void deletesEventsOlderThanTheCutoff() {
    events.append(
        Event.normal(T0.minus(Duration.ofDays(8)), "local", "app", "web", "web", "Old", "old"));
    events.append(
        Event.normal(
            T0.minus(Duration.ofDays(7)), "local", "app", "web", "web", "Edge", "at the cutoff"));
    Event fresh = events.append(Event.normal(T0, "local", "app", "web", "web", "Fresh", "fresh"));

    int deleted = events.deleteOlderThan(T0.minus(Duration.ofDays(7)));

    assertThat(deleted).isEqualTo(1);
    assertThat(events.query(new EventQuery(null, null, null, 0, 10)))
        .extracting(Event::reason)
        .containsExactly("Fresh", "Edge");
    assertThat(events.query(new EventQuery(null, null, null, 0, 10)).getFirst()).isEqualTo(fresh);
  }

  // --- fixtures ---

  static AppSpec spec(String image) {
    Probe readiness = new Probe(ProbeType.HTTP, 8080, "/", null, 0, 2, 1, 3, 1);
    return new AppSpec(
        "127.0.0.1:5000/demo/" + image,
        List.of("httpd", "-f", "-p", "8080"),
        List.of(),
        Map.of("MODE", "demo", "B", "2"),
        List.of(new PortSpec("http", 8080, "tcp")),
        new Resources(0.5, 1, 128, CpuPolicy.CPUSET, 0),
        new Health(null, readiness),
        new Lifecycle(List.of(), List.of("sh", "-c", "sleep 1"), 10, true));
  }

  App app(String name, int instances) {
    return new App(
        name,
        "team-a",
        "alice",
        "local",
        spec("busybox:1"),
        1,
        instances,
        Set.of(4, 1),
        false,
        0,
        AppStatus.initial(instances),
        null,
        null);
  }

  Revision revision(String app, long number) {
    return new Revision(app, number, spec("busybox:" + number), "alice", clock.instant());
  }

  static App scaled(App a, int instances) {
    return new App(
        a.name(),
        a.team(),
        a.owner(),
        a.cluster(),
        a.spec(),
        a.revision(),
        instances,
        a.reservedOrdinals(),
        a.deleting(),
        a.version(),
        a.status(),
        a.createdAt(),
        a.updatedAt());
  }

  static App deleting(App a) {
    return new App(
        a.name(),
        a.team(),
        a.owner(),
        a.cluster(),
        a.spec(),
        a.revision(),
        a.instances(),
        a.reservedOrdinals(),
        true,
        a.version(),
        a.status(),
        a.createdAt(),
        a.updatedAt());
  }

  static App withCluster(App a, String cluster) {
    return new App(
        a.name(),
        a.team(),
        a.owner(),
        cluster,
        a.spec(),
        a.revision(),
        a.instances(),
        a.reservedOrdinals(),
        a.deleting(),
        a.version(),
        a.status(),
        a.createdAt(),
        a.updatedAt());
  }

  List<Event> query(String object) {
    return events.query(new EventQuery(object, null, null, 0, 100));
  }

  static List<String> names(Page<App> page) {
    return page.items().stream().map(App::name).toList();
  }
}
