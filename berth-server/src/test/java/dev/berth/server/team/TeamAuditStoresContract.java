package dev.berth.server.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStatus;
import dev.berth.core.app.Revision;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.core.support.ConflictException;
import dev.berth.core.task.ConcurrencyPolicy;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunMode;
import dev.berth.core.task.RunQuery;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.task.Trigger;
import dev.berth.server.access.Role;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.app.JdbcAppStore;
import dev.berth.server.audit.AuditEntry;
import dev.berth.server.audit.AuditQuery;
import dev.berth.server.audit.JdbcAuditStore;
import dev.berth.server.event.JdbcEventStore;
import dev.berth.server.task.JdbcTaskStore;
import dev.berth.server.testing.MutableClock;
import dev.berth.server.testing.TestJson;
import dev.berth.server.user.UserService;
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
 * What every database Berth runs on must do for teams, memberships, production marks, the audit log
 * and the team filters of app, task, run and event lists. Subclasses supply a migrated, empty
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TeamAuditStoresContract {
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

  final MutableClock clock = new MutableClock(T0);
  JdbcClient jdbc;
  JdbcTeamStore teams;
  JdbcAuditStore audit;
  UserService users;
  JdbcAppStore apps;
  JdbcTaskStore tasks;
  JdbcEventStore events;

  abstract DataSource dataSource();

  @BeforeAll
  void createStores() {
    DataSource ds = dataSource();
    jdbc = JdbcClient.create(ds);
    JdbcTransactionManager tx = new JdbcTransactionManager(ds);
    teams = new JdbcTeamStore(jdbc, tx);
    audit = new JdbcAuditStore(jdbc);
    users = new UserService(jdbc, tx, UserService.defaultPasswordEncoder(), clock);
    apps = new JdbcAppStore(jdbc, tx, TestJson.mapper(), clock);
    tasks =
        new JdbcTaskStore(
            jdbc,
            tx,
            TestJson.mapper(),
            dev.berth.server.support.crypto.SecretBox.of(
                java.util.Base64.getEncoder().encodeToString(new byte[32]),
                java.nio.file.Path.of("unused")));
    events = new JdbcEventStore(jdbc);
  }

  /** The audit log cannot be emptied: each test writes as actors of its own. */
  String me;

  @BeforeEach
  void emptyTables() {
    me = "t" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-";
    for (String table :
        List.of(
            "team_members",
            "api_tokens",
            "users",
            "revisions",
            "apps",
            "runs",
            "tasks",
            "events",
            "production_clusters")) {
      jdbc.sql("DELETE FROM " + table).update();
    }
    jdbc.sql("DELETE FROM teams WHERE name <> 'default'").update();
  }

  @Test
  void startsWithTheDefaultTeamAndRefusesATakenName() {
    assertThat(teams.list(null)).extracting(Team::name).containsExactly("default");
    teams.create(new Team("payments", true, T0));

    assertThat(teams.find("payments")).contains(new Team("payments", true, T0));
    assertThatThrownBy(() -> teams.create(new Team("payments", false, T0)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("team 'payments' already exists");
    assertThat(teams.setProduction("payments", false)).isTrue();
    assertThat(teams.find("payments").orElseThrow().production()).isFalse();
    assertThat(teams.list(Set.of("payments", "gone")))
        .extracting(Team::name)
        .containsExactly("payments");
  }

  @Test
  void aUsersRoleInATeamIsTheHighestOverAllSources() {
    users.create("alice", "alices-password", Role.MEMBER);
    teams.create(new Team("payments", false, T0));
    teams.putMember("payments", "alice", TeamRole.VIEWER, "local", T0);
    teams.replaceGrants(
        "alice",
        "ldap",
        List.of(
            new TeamGrant("payments", TeamRole.OPERATOR),
            new TeamGrant("search", TeamRole.DEVELOPER)),
        T0);

    assertThat(teams.rolesOf("alice"))
        .isEqualTo(Map.of("payments", TeamRole.OPERATOR, "search", TeamRole.DEVELOPER));
    assertThat(teams.find("search"))
        .as("a provider's team is created on first sign-in")
        .isPresent();

    teams.replaceGrants("alice", "ldap", List.of(), T0);
    assertThat(teams.rolesOf("alice"))
        .as("the hand-given grant stays")
        .isEqualTo(Map.of("payments", TeamRole.VIEWER));
    assertThat(teams.removeMember("payments", "alice")).isEqualTo(1);
    assertThat(teams.rolesOf("alice")).isEmpty();
  }

  @Test
  void marksAndUnmarksProductionClusters() {
    teams.markCluster("local", true, "admin", T0);
    teams.markCluster("prod", true, "admin", T0);
    teams.markCluster("prod", false, "admin", T0);

    assertThat(teams.productionClusters()).containsExactly("local");
    assertThat(teams.isProductionCluster("local")).isTrue();
    assertThat(teams.isProductionCluster("prod")).isFalse();
  }

  @Test
  void listsAppsTasksRunsAndEventsOfTheGivenTeamsOnly() {
    apps.create(app("pay-web", "payments"), new Revision("pay-web", 1, spec(), "alice", T0));
    apps.create(app("search-web", "search"), new Revision("search-web", 1, spec(), "bob", T0));
    tasks.create(task("pay-report", "payments"));
    tasks.create(task("search-report", "search"));
    Run payRun = tasks.createRun("pay-report", "local", null, T0).orElseThrow();
    tasks.createRun("search-report", "local", null, T0).orElseThrow();
    events.append(Event.normal(T0, "local", "app", "pay-web", "pay-web", "Created", "by alice"));
    events.append(Event.normal(T0, "local", "run", payRun.id(), "pay-report", "Started", "run"));
    events.append(
        Event.normal(T0, "local", "app", "search-web", "search-web", "Created", "by bob"));
    events.append(Event.normal(T0, "local", "node", "host-1", null, "Ready", "node ready"));

    assertThat(apps.list("", Set.of("payments"), 0, 10).items())
        .extracting(App::name)
        .containsExactly("pay-web");
    assertThat(apps.list("", Set.of(), 0, 10).total()).isZero();
    assertThat(apps.list("", null, 0, 10).total()).isEqualTo(2);
    assertThat(tasks.list("", Set.of("search"), 0, 10).items())
        .extracting(Task::name)
        .containsExactly("search-report");
    assertThat(tasks.runs(new RunQuery(null, null, null, null, 0, 10, Set.of("payments"))).items())
        .extracting(Run::id)
        .containsExactly(payRun.id());
    assertThat(tasks.runTeam(payRun.id())).contains("payments");
    assertThat(events.query(new EventQuery(null, null, null, 0, 10, Set.of("payments"))))
        .extracting(Event::name)
        .containsExactly("host-1", payRun.id(), "pay-web");

    tasks.delete("pay-report");
    assertThat(tasks.runs(new RunQuery(null, null, null, null, 0, 10, Set.of("payments"))).items())
        .as("a run keeps its team after its task is gone")
        .extracting(Run::id)
        .containsExactly(payRun.id());
    apps.delete("pay-web");
    events.append(Event.normal(T0, "local", "app", "pay-web", "pay-web", "Deleted", "gone"));
    assertThat(events.query(new EventQuery("pay-web", null, null, 0, 10, Set.of("search"))))
        .as("nor does a deleted app's last event leak")
        .isEmpty();
  }

  @Test
  void searchesTheAuditLogNewestFirstAndPagesByKeyset() {
    for (int i = 0; i < 5; i++) {
      clock.set(T0.plusSeconds(i));
      audit.append(
          entry(
              me + (i % 2 == 0 ? "alice" : "bob"),
              i < 3 ? "app.scale" : "team.create",
              me + "obj-" + (i % 2)));
    }

    List<AuditEntry> all = audit.query(new AuditQuery(null, null, null, null, 0, 5));
    assertThat(all)
        .extracting(AuditEntry::time)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder())
        .hasSize(5)
        .allMatch(t -> !t.isBefore(T0));
    assertThat(all).allMatch(e -> e.actor().startsWith(me));
    assertThat(audit.query(new AuditQuery(me + "alice", null, null, null, 0, 10)))
        .hasSize(3)
        .allMatch(e -> e.actor().equals(me + "alice"));
    assertThat(audit.query(new AuditQuery(null, "app/" + me + "obj-1", null, null, 0, 10)))
        .hasSize(2);
    assertThat(audit.query(new AuditQuery(me + "alice", null, "team.", null, 0, 10)))
        .extracting(AuditEntry::action)
        .containsExactly("team.create");
    assertThat(audit.query(new AuditQuery(me + "bob", null, null, T0.plusSeconds(3), 0, 10)))
        .hasSize(1);
    List<AuditEntry> first = audit.query(new AuditQuery(null, null, null, null, 0, 2));
    List<AuditEntry> second =
        audit.query(new AuditQuery(null, null, null, null, first.getLast().id(), 2));
    List<AuditEntry> third =
        audit.query(new AuditQuery(null, null, null, null, second.getLast().id(), 1));
    assertThat(List.of(first, second, third)).flatExtracting(l -> l).containsExactlyElementsOf(all);
  }

  @Test
  void keepsTheSpecBeforeAndAfterAndCleansControlCharacters() {
    AuditEntry stored =
        audit.append(
            new AuditEntry(
                0,
                T0,
                me + "alice",
                "session",
                "app.update-spec",
                "app",
                "web\u0000x",
                "payments",
                "ok",
                "revision 2",
                "127.0.0.1",
                "curl/8\r\nX-Evil: 1",
                "{\"image\":\"a:1\"}",
                "{\"image\":\"a:2\"}"));

    AuditEntry read = audit.query(new AuditQuery(me + "alice", null, null, null, 0, 1)).getFirst();
    assertThat(read).isEqualTo(stored);
    assertThat(read.objectName()).isEqualTo("web?x");
    assertThat(read.userAgent()).isEqualTo("curl/8??X-Evil: 1");
    assertThat(read.before()).isEqualTo("{\"image\":\"a:1\"}");
    assertThat(read.after()).isEqualTo("{\"image\":\"a:2\"}");
  }

  @Test
  void theDatabaseRefusesToChangeOrDeleteAuditEntries() {
    audit.append(entry(me + "alice", "app.delete", "web"));

    assertThatThrownBy(() -> jdbc.sql("UPDATE audit SET actor = 'mallory'").update())
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit").update())
        .hasMessageContaining("append-only");
    assertThat(audit.query(new AuditQuery(me + "alice", null, null, null, 0, 10))).hasSize(1);
  }

  AuditEntry entry(String actor, String action, String object) {
    return new AuditEntry(
        0,
        clock.instant(),
        actor,
        "session",
        action,
        "app",
        object,
        "payments",
        "ok",
        null,
        "127.0.0.1",
        "test",
        null,
        null);
  }

  static AppSpec spec() {
    return new AppSpec(
        "127.0.0.1:5000/demo/busybox:1",
        List.of("sleep", "60"),
        List.of(),
        Map.of(),
        List.of(),
        null,
        null,
        null,
        null);
  }

  static App app(String name, String team) {
    return new App(
        name,
        team,
        "alice",
        "local",
        spec(),
        1,
        1,
        Set.of(),
        false,
        0,
        AppStatus.initial(1),
        T0,
        T0);
  }

  static Task task(String name, String team) {
    return new Task(
        name,
        team,
        "alice",
        "local",
        new TaskSpec("busybox:1", List.of("true"), null, Map.of(), null),
        Trigger.now(),
        RunMode.ASYNC,
        null,
        null,
        30,
        0,
        false,
        ConcurrencyPolicy.ALLOW,
        1,
        T0,
        T0);
  }
}
