package dev.berth.server.task;

import static dev.berth.server.support.jdbc.Sql.instant;
import static dev.berth.server.support.jdbc.Sql.ts;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.support.BerthException;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Page;
import dev.berth.core.task.ConcurrencyPolicy;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunMode;
import dev.berth.core.task.RunQuery;
import dev.berth.core.task.RunState;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.task.TaskStore;
import dev.berth.core.task.Trigger;
import dev.berth.server.support.crypto.SecretBox;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link TaskStore} over JDBC (H2 or PostgreSQL). Run numbers come from the task row, bumped in the
 * same transaction as the run insert; a unique (task, scheduled_at) constraint makes a scheduled
 * fire produce at most one run even when delivered twice. Run listings use the (created_at, id)
 * indexes and count at most {@link #COUNT_CAP} rows, so that they stay fast with millions of runs.
 * Callback secrets are sealed with the {@link SecretBox} before they reach the database and opened
 * when read; rows written in plain text by older versions are still read, and {@link
 * #sealPlainCallbackSecrets()} seals them.
 */
@Repository
public class JdbcTaskStore implements TaskStore {
  static final int COUNT_CAP = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(JdbcTaskStore.class);
  private static final String TASK_COLUMNS =
      "name, team, owner, cluster, spec_json, trigger_json, mode, callback_url, callback_secret, timeout_seconds, retries,"
          + " keep_on_failure, concurrency, version, created_at, updated_at";
  private static final String RUN_COLUMNS =
      "id, task, number, cluster, state, attempts, exit_code, reason, message, node, host_ip, reclaimed, scheduled_at,"
          + " created_at, updated_at, started_at, ended_at, callback_status, callback_attempts";

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper mapper;
  private final JavaType specType;
  private final JavaType triggerType;
  private final SecretBox secrets;

  public JdbcTaskStore(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      ObjectMapper mapper,
      SecretBox secrets) {
    this.jdbc = jdbc;
    this.secrets = secrets;
    this.tx = new TransactionTemplate(transactions);
    this.mapper = Sql.storeMapper(mapper);
    this.specType = this.mapper.constructType(TaskSpec.class);
    this.triggerType = this.mapper.constructType(Trigger.class);
  }

  @Override
  public Task create(Task t) {
    try {
      jdbc.sql(
              "INSERT INTO tasks ("
                  + TASK_COLUMNS
                  + ", next_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")
          .params(
              t.name(),
              t.team(),
              t.owner(),
              t.cluster(),
              Sql.toJson(mapper, t.spec()),
              Sql.toJson(mapper, t.trigger()),
              t.mode().name(),
              t.callbackUrl(),
              seal(t.name(), t.callbackSecret()),
              t.timeoutSeconds(),
              t.retries(),
              t.keepOnFailure(),
              t.concurrency().name(),
              t.version(),
              ts(Sql.micros(t.createdAt())),
              ts(Sql.micros(t.updatedAt())))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "task '" + t.name() + "' already exists; delete it first or choose another name");
    }
    return find(t.name()).orElseThrow();
  }

  @Override
  public Optional<Task> find(String name) {
    return jdbc.sql("SELECT " + TASK_COLUMNS + " FROM tasks WHERE name = ?")
        .param(name)
        .query(this::task)
        .optional();
  }

  @Override
  public Page<Task> list(String query, Set<String> teams, int page, int size) {
    boolean all = query == null || query.isBlank();
    String where = all ? " WHERE 1 = 1" : " WHERE name LIKE ? ESCAPE '!'";
    List<Object> params = new ArrayList<>();
    if (!all) {
      params.add(Sql.containsPattern(query.toLowerCase(Locale.ROOT)));
    }
    where += Sql.teamFilter("team", teams, params);
    long total =
        jdbc.sql("SELECT COUNT(*) FROM tasks" + where).params(params).query(Long.class).single();
    List<Object> paged = new ArrayList<>(params);
    paged.add(size);
    paged.add((long) page * size);
    List<Task> items =
        jdbc.sql(
                "SELECT "
                    + TASK_COLUMNS
                    + " FROM tasks"
                    + where
                    + " ORDER BY name LIMIT ? OFFSET ?")
            .params(paged)
            .query(this::task)
            .list();
    return new Page<>(items, page, size, total);
  }

  @Override
  public void delete(String name) {
    jdbc.sql("DELETE FROM tasks WHERE name = ?").param(name).update();
  }

  @Override
  public Optional<Run> createRun(String task, String cluster, Instant scheduledAt, Instant now) {
    try {
      return tx.execute(
          s -> {
            var numbered =
                jdbc.sql("SELECT next_number, team FROM tasks WHERE name = ? FOR UPDATE")
                    .param(task)
                    .query((rs, row) -> Map.entry(rs.getLong("next_number"), rs.getString("team")))
                    .optional()
                    .orElse(null);
            if (numbered == null) {
              return Optional.<Run>empty();
            }
            long number = numbered.getKey();
            jdbc.sql("UPDATE tasks SET next_number = ? WHERE name = ?")
                .params(number + 1, task)
                .update();
            Instant at = Sql.micros(now);
            Run run =
                new Run(
                    task + "-" + number,
                    task,
                    number,
                    cluster,
                    RunState.QUEUED,
                    0,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    scheduledAt == null ? null : Sql.micros(scheduledAt),
                    at,
                    at,
                    null,
                    null,
                    null,
                    0);
            jdbc.sql(
                    "INSERT INTO runs ("
                        + RUN_COLUMNS
                        + ", team) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                    run.id(),
                    run.task(),
                    run.number(),
                    run.cluster(),
                    run.state().name(),
                    run.attempts(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    scheduledAt == null ? null : ts(run.scheduledAt()),
                    ts(at),
                    ts(at),
                    null,
                    null,
                    null,
                    0,
                    numbered.getValue())
                .update();
            return Optional.of(run);
          });
    } catch (DuplicateKeyException e) {
      return Optional.empty();
    }
  }

  /** The team of a run's task, kept with the run so that it outlives the task. */
  public Optional<String> runTeam(String id) {
    return jdbc.sql("SELECT team FROM runs WHERE id = ?").param(id).query(String.class).optional();
  }

  @Override
  public Optional<Run> findRun(String id) {
    return jdbc.sql("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?")
        .param(id)
        .query(this::run)
        .optional();
  }

  @Override
  public void updateRun(Run r) {
    jdbc.sql(
            "UPDATE runs SET state = ?, attempts = ?, exit_code = ?, reason = ?, message = ?, node = ?, host_ip = ?, reclaimed = ?,"
                + " updated_at = ?, started_at = ?, ended_at = ?, callback_status = ?, callback_attempts = ? WHERE id = ?")
        .params(
            r.state().name(),
            r.attempts(),
            r.exitCode(),
            r.reason(),
            truncate(r.message(), 2048),
            r.node(),
            r.hostIp(),
            r.reclaimed(),
            ts(Sql.micros(r.updatedAt())),
            r.startedAt() == null ? null : ts(Sql.micros(r.startedAt())),
            r.endedAt() == null ? null : ts(Sql.micros(r.endedAt())),
            truncate(r.callbackStatus(), 512),
            r.callbackAttempts(),
            r.id())
        .update();
  }

  @Override
  public Page<Run> runs(RunQuery q) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (q.task() != null && !q.task().isBlank()) {
      where.append(" AND task = ?");
      params.add(q.task());
    }
    if (q.state() != null) {
      where.append(" AND state = ?");
      params.add(q.state().name());
    }
    if (q.since() != null) {
      where.append(" AND created_at >= ?");
      params.add(ts(q.since()));
    }
    if (q.until() != null) {
      where.append(" AND created_at < ?");
      params.add(ts(q.until()));
    }
    where.append(Sql.teamFilter("team", q.teams(), params));
    List<Object> capped = new ArrayList<>(params);
    capped.add(COUNT_CAP);
    long total =
        jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM runs" + where + " LIMIT ?) capped")
            .params(capped)
            .query(Long.class)
            .single();
    List<Object> paged = new ArrayList<>(params);
    paged.add(q.size());
    paged.add((long) q.page() * q.size());
    List<Run> items =
        jdbc.sql(
                "SELECT "
                    + RUN_COLUMNS
                    + " FROM runs"
                    + where
                    + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
            .params(paged)
            .query(this::run)
            .list();
    return new Page<>(items, q.page(), q.size(), total);
  }

  @Override
  public List<Run> runsIn(String task, Set<RunState> states) {
    List<Object> params = new ArrayList<>(states.stream().map(Enum::name).toList());
    String in = String.join(", ", states.stream().map(s -> "?").toList());
    String byTask = "";
    if (task != null) {
      byTask = " AND task = ?";
      params.add(task);
    }
    return jdbc.sql(
            "SELECT "
                + RUN_COLUMNS
                + " FROM runs WHERE state IN ("
                + in
                + ")"
                + byTask
                + " ORDER BY created_at, id")
        .params(params)
        .query(this::run)
        .list();
  }

  @Override
  public void deleteRun(String id) {
    jdbc.sql("DELETE FROM runs WHERE id = ?").param(id).update();
  }

  @Override
  public int deleteEndedBefore(Instant cutoff) {
    return jdbc.sql(
            "DELETE FROM runs WHERE created_at < ? AND reclaimed = ? AND state IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED')")
        .params(ts(cutoff), true)
        .update();
  }

  @Override
  public int deleteOldestBeyond(long keep) {
    String finished =
        " FROM runs WHERE reclaimed = TRUE AND state IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED')";
    long count = jdbc.sql("SELECT COUNT(*)" + finished).query(Long.class).single();
    if (count <= keep) {
      return 0;
    }
    long excess = Math.min(count - keep, 100_000);
    List<String> ids =
        jdbc.sql("SELECT id" + finished + " ORDER BY created_at, id LIMIT ?")
            .param(excess)
            .query(String.class)
            .list();
    int deleted = 0;
    for (int i = 0; i < ids.size(); i += 1000) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + 1000));
      deleted +=
          jdbc.sql(
                  "DELETE FROM runs WHERE id IN ("
                      + String.join(", ", batch.stream().map(x -> "?").toList())
                      + ")")
              .params(new ArrayList<>(batch))
              .update();
    }
    return deleted;
  }

  /**
   * Seals the callback secrets that an older version stored in plain text; idempotent, safe to run
   * on every start and from several servers at once (a row changes only while it is still plain).
   *
   * @return how many rows were sealed
   */
  public int sealPlainCallbackSecrets() {
    List<String[]> plain =
        jdbc.sql(
                "SELECT name, callback_secret FROM tasks WHERE callback_secret IS NOT NULL AND callback_secret NOT LIKE ?")
            .param(SecretBox.PREFIX + "%")
            .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2)})
            .list();
    int sealed = 0;
    for (String[] row : plain) {
      sealed +=
          jdbc.sql("UPDATE tasks SET callback_secret = ? WHERE name = ? AND callback_secret = ?")
              .params(seal(row[0], row[1]), row[0], row[1])
              .update();
    }
    return sealed;
  }

  private String seal(String task, String secret) {
    return secret == null ? null : secrets.seal(secret, purpose(task));
  }

  /**
   * The plain secret; null (and a warning without the value) when this server's key cannot open it.
   */
  private String open(String task, String stored) {
    if (stored == null || !SecretBox.isSealed(stored)) {
      return stored;
    }
    try {
      return secrets.open(stored, purpose(task));
    } catch (BerthException e) {
      LOG.warn(
          "task {}: {}; its callbacks are not sent until the task is created again",
          task,
          e.getMessage());
      return null;
    }
  }

  private static String purpose(String task) {
    return "callback secret of task " + task;
  }

  private Task task(ResultSet rs, int row) throws SQLException {
    return new Task(
        rs.getString("name"),
        rs.getString("team"),
        rs.getString("owner"),
        rs.getString("cluster"),
        Sql.fromJson(mapper, rs.getString("spec_json"), specType),
        Sql.fromJson(mapper, rs.getString("trigger_json"), triggerType),
        RunMode.valueOf(rs.getString("mode")),
        rs.getString("callback_url"),
        open(rs.getString("name"), rs.getString("callback_secret")),
        rs.getInt("timeout_seconds"),
        rs.getInt("retries"),
        rs.getBoolean("keep_on_failure"),
        ConcurrencyPolicy.valueOf(rs.getString("concurrency")),
        rs.getLong("version"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private Run run(ResultSet rs, int row) throws SQLException {
    int exit = rs.getInt("exit_code");
    Integer exitCode = rs.wasNull() ? null : exit;
    return new Run(
        rs.getString("id"),
        rs.getString("task"),
        rs.getLong("number"),
        rs.getString("cluster"),
        RunState.valueOf(rs.getString("state")),
        rs.getInt("attempts"),
        exitCode,
        rs.getString("reason"),
        rs.getString("message"),
        rs.getString("node"),
        rs.getString("host_ip"),
        rs.getBoolean("reclaimed"),
        instant(rs, "scheduled_at"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "started_at"),
        instant(rs, "ended_at"),
        rs.getString("callback_status"),
        rs.getInt("callback_attempts"));
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
