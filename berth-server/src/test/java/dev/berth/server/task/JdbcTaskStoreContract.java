package dev.berth.server.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ConflictException;
import dev.berth.core.task.ConcurrencyPolicy;
import dev.berth.core.task.Placement;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunMode;
import dev.berth.core.task.RunQuery;
import dev.berth.core.task.RunScheduling;
import dev.berth.core.task.RunState;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.task.Trigger;
import dev.berth.core.task.TriggerType;
import dev.berth.server.support.crypto.SecretBox;
import dev.berth.server.support.jdbc.Sql;
import dev.berth.server.testing.TestJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/** The task store's contract, run against H2 and against a real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcTaskStoreContract {
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  JdbcClient jdbc;
  JdbcTaskStore tasks;

  abstract DataSource dataSource();

  @BeforeAll
  void createStore() {
    DataSource ds = dataSource();
    jdbc = JdbcClient.create(ds);
    tasks =
        new JdbcTaskStore(
            jdbc,
            new JdbcTransactionManager(ds),
            TestJson.mapper(),
            SecretBox.of(KEY, Path.of("unused")));
  }

  @BeforeEach
  void emptyTables() {
    jdbc.sql("DELETE FROM runs").update();
    jdbc.sql("DELETE FROM tasks").update();
  }

  static Task task(String name) {
    return new Task(
        name,
        "team",
        "me",
        "local",
        new TaskSpec("busybox:1", List.of("sh", "-c", "echo hi"), null, Map.of("A", "1"), null),
        new Trigger(TriggerType.CRON, null, "0 2 * * *", "Europe/Paris", 60),
        RunMode.ASYNC,
        "https://ci.example.com/hook",
        "s3cret-s3cret-s3cret",
        30,
        2,
        true,
        ConcurrencyPolicy.FORBID,
        1,
        T0,
        T0);
  }

  static Run ended(Run r, RunState state, boolean reclaimed) {
    return new Run(
        r.id(),
        r.task(),
        r.number(),
        r.cluster(),
        state,
        1,
        3,
        "error",
        "exited with code 3",
        "host",
        "10.0.0.1",
        reclaimed,
        r.scheduledAt(),
        r.createdAt(),
        r.updatedAt(),
        r.createdAt(),
        r.createdAt(),
        "delivered: 200",
        1);
  }

  @Test
  void storesATaskWithEveryFieldAndRefusesItsNameTwice() {
    tasks.create(task("report"));
    assertThat(tasks.find("report")).contains(task("report"));
    assertThatThrownBy(() -> tasks.create(task("report"))).isInstanceOf(ConflictException.class);
    assertThat(tasks.list("rep", 0, 10).total()).isEqualTo(1);
  }

  @Test
  void sealsTheCallbackSecretInTheDatabaseAndOpensItOnRead() {
    tasks.create(task("report"));
    String stored =
        jdbc.sql("SELECT callback_secret FROM tasks WHERE name = 'report'")
            .query(String.class)
            .single();
    assertThat(stored).startsWith(SecretBox.PREFIX).doesNotContain("s3cret");
    assertThat(tasks.find("report").orElseThrow().callbackSecret())
        .isEqualTo("s3cret-s3cret-s3cret");
    assertThat(tasks.find("report").orElseThrow().toString()).doesNotContain("s3cret");
  }

  @Test
  void sealsSecretsThatAnOlderVersionStoredInPlainText() {
    tasks.create(task("old"));
    jdbc.sql("UPDATE tasks SET callback_secret = 'plain-plain-plain-1' WHERE name = 'old'")
        .update();
    assertThat(tasks.find("old").orElseThrow().callbackSecret()).isEqualTo("plain-plain-plain-1");
    assertThat(tasks.sealPlainCallbackSecrets()).isEqualTo(1);
    assertThat(tasks.sealPlainCallbackSecrets()).isZero();
    assertThat(
            jdbc.sql("SELECT callback_secret FROM tasks WHERE name = 'old'")
                .query(String.class)
                .single())
        .startsWith(SecretBox.PREFIX);
    assertThat(tasks.find("old").orElseThrow().callbackSecret()).isEqualTo("plain-plain-plain-1");
  }

  @Test
  void readsATaskWhoseSecretThisKeyCannotOpenWithoutTheSecret() {
    JdbcTaskStore otherKey =
        new JdbcTaskStore(
            jdbc,
            new JdbcTransactionManager(dataSource()),
            TestJson.mapper(),
            SecretBox.of(Base64.getEncoder().encodeToString(new byte[16]), Path.of("unused")));
    otherKey.create(task("foreign"));
    assertThat(tasks.find("foreign").orElseThrow().callbackSecret()).isNull();
    assertThat(tasks.list(null, 0, 10).items()).extracting(Task::name).containsExactly("foreign");
  }

  @Test
  void numbersRunsPerTaskAndCreatesAtMostOneRunPerFireTime() {
    tasks.create(task("report"));
    Instant fire = Instant.parse("2026-03-02T01:00:00Z");
    Run first = tasks.createRun("report", "local", fire, T0).orElseThrow();
    assertThat(first.id()).isEqualTo("report-1");
    assertThat(first.state()).isEqualTo(RunState.QUEUED);
    assertThat(tasks.createRun("report", "local", fire, T0)).isEmpty();
    assertThat(tasks.createRun("report", "local", null, T0).orElseThrow().id())
        .isEqualTo("report-2");
    assertThat(tasks.createRun("report", "local", null, T0).orElseThrow().id())
        .isEqualTo("report-3");
    assertThat(tasks.createRun("nothing", "local", null, T0)).isEmpty();
  }

  @Test
  void storesAnOfflineTasksPlacementAndAWaitingRunWithItsReason() {
    Task plain = task("nightly");
    Placement placement = new Placement(Placement.Kind.OFFLINE, "01:00-06:00", "Asia/Shanghai", 30);
    TaskSpec spec =
        new TaskSpec(
            plain.spec().image(),
            plain.spec().command(),
            plain.spec().args(),
            plain.spec().env(),
            plain.spec().resources(),
            placement,
            new RunScheduling("batch", java.util.Map.of("disk", "ssd")));
    tasks.create(
        new Task(
            plain.name(),
            plain.team(),
            plain.owner(),
            plain.cluster(),
            spec,
            plain.trigger(),
            plain.mode(),
            plain.callbackUrl(),
            plain.callbackSecret(),
            plain.timeoutSeconds(),
            plain.retries(),
            plain.keepOnFailure(),
            plain.concurrency(),
            plain.version(),
            plain.createdAt(),
            plain.updatedAt()));
    assertThat(tasks.find("nightly").orElseThrow().spec().placement()).isEqualTo(placement);
    assertThat(tasks.find("nightly").orElseThrow().spec().scheduling())
        .isEqualTo(new RunScheduling("batch", java.util.Map.of("disk", "ssd")));
    assertThat(tasks.find("report")).isEmpty();

    Run run = tasks.createRun("nightly", "local", null, T0).orElseThrow();
    Run waiting = run.with(RunState.WAITING, "waiting for window 01:00-06:00 Asia/Shanghai", T0);
    tasks.updateRun(waiting);
    assertThat(tasks.runsIn(null, EnumSet.of(RunState.WAITING)))
        .extracting(Run::message)
        .containsExactly("waiting for window 01:00-06:00 Asia/Shanghai");
  }

  @Test
  void readsATaskThatAnOlderVersionStoredWithoutSchedulingAsPlacedAnywhere() {
    jdbc.sql(
            "INSERT INTO tasks (name, team, owner, cluster, spec_json, trigger_json, mode,"
                + " callback_url, callback_secret, timeout_seconds, retries, keep_on_failure,"
                + " concurrency, next_number, version, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            "older",
            "team",
            "me",
            "local",
            "{\"image\":\"busybox:1\",\"command\":[\"sh\",\"-c\",\"echo hi\"],\"args\":[],"
                + "\"env\":{\"A\":\"1\"},\"resources\":{\"cpu\":0.1,\"cpuLimit\":0.0,"
                + "\"memoryMiB\":256,\"cpuPolicy\":\"shares\",\"pids\":1024}}",
            "{\"type\":\"now\",\"at\":null,\"cron\":null,\"timezone\":null}",
            "ASYNC",
            30,
            0,
            false,
            "ALLOW",
            1,
            1,
            Sql.ts(T0),
            Sql.ts(T0))
        .update();
    Task older = tasks.find("older").orElseThrow();
    assertThat(older.spec().scheduling()).isEqualTo(RunScheduling.NONE);
    assertThat(older.spec().scheduling().pool()).isNull();
    assertThat(older.spec().placement()).isEqualTo(Placement.ONLINE);
    assertThat(older.spec().command()).containsExactly("sh", "-c", "echo hi");
    assertThat(tasks.createRun("older", "local", null, T0).orElseThrow().id()).isEqualTo("older-1");
  }

  @Test
  void updatesARunAndFindsItByState() {
    tasks.create(task("report"));
    Run run = tasks.createRun("report", "local", null, T0).orElseThrow();
    tasks.updateRun(ended(run, RunState.FAILED, false));
    assertThat(tasks.findRun("report-1")).contains(ended(run, RunState.FAILED, false));
    assertThat(tasks.runsIn("report", EnumSet.of(RunState.FAILED))).hasSize(1);
    assertThat(tasks.runsIn(null, EnumSet.of(RunState.QUEUED, RunState.RUNNING))).isEmpty();
  }

  @Test
  void listsRunsNewestFirstFilteredByTaskStateAndTime() {
    tasks.create(task("a"));
    tasks.create(task("b"));
    for (int i = 0; i < 5; i++) {
      tasks.createRun("a", "local", null, T0.plusSeconds(i));
      tasks.createRun("b", "local", null, T0.plusSeconds(i));
    }
    tasks.updateRun(ended(tasks.findRun("a-2").orElseThrow(), RunState.FAILED, true));

    assertThat(tasks.runs(new RunQuery(null, null, null, null, 0, 3)).items())
        .extracting(Run::id)
        .containsExactly("b-5", "a-5", "b-4");
    assertThat(tasks.runs(new RunQuery(null, null, null, null, 0, 3)).total()).isEqualTo(10);
    assertThat(tasks.runs(new RunQuery("a", null, null, null, 1, 2)).items())
        .extracting(Run::id)
        .containsExactly("a-3", "a-2");
    assertThat(tasks.runs(new RunQuery("a", RunState.FAILED, null, null, 0, 10)).items())
        .extracting(Run::id)
        .containsExactly("a-2");
    assertThat(
            tasks
                .runs(new RunQuery("b", null, T0.plusSeconds(1), T0.plusSeconds(3), 0, 10))
                .items())
        .extracting(Run::id)
        .containsExactly("b-3", "b-2");
  }

  @Test
  void forgetsOnlyReclaimedFinishedRunsByAgeAndByCount() {
    tasks.create(task("a"));
    for (int i = 0; i < 6; i++) {
      Run r = tasks.createRun("a", "local", null, T0.plusSeconds(i)).orElseThrow();
      tasks.updateRun(ended(r, RunState.SUCCEEDED, i != 1));
    }
    assertThat(tasks.deleteEndedBefore(T0.plusSeconds(2)))
        .isEqualTo(1); // a-1; a-2 is kept for debugging
    assertThat(tasks.deleteOldestBeyond(2)).isEqualTo(2); // a-3, a-4 go; a-5, a-6 stay
    assertThat(tasks.runs(new RunQuery("a", null, null, null, 0, 10)).items())
        .extracting(Run::id)
        .containsExactly("a-6", "a-5", "a-2");
  }
}
