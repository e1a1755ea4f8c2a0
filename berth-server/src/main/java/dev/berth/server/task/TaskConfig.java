package dev.berth.server.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.task.CallbackSender;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunController;
import dev.berth.core.task.TaskService;
import dev.berth.core.task.TaskStore;
import dev.berth.server.event.EventService;
import dev.berth.server.user.Tokens;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires short-lived tasks: the run controller, the task service, callbacks, and db-scheduler, whose
 * {@code berth-task-fire} task calls {@link TaskService#fireScheduled} at each stored fire time and
 * stores the next one.
 */
@Configuration(proxyBeanMethods = false)
public class TaskConfig {
  static final String FIRE_TASK = "berth-task-fire";
  private static final Logger LOG = LoggerFactory.getLogger(TaskConfig.class);

  @Bean
  CallbackSender callbackSender(
      TaskProperties properties,
      dev.berth.core.time.Scheduler scheduler,
      dev.berth.core.outbound.OutboundPolicy outbound) {
    return new HttpCallbackSender(
        properties.callbackBackoff(),
        scheduler,
        outbound,
        dev.berth.core.outbound.OutboundPolicy.Resolver.SYSTEM);
  }

  @Bean(destroyMethod = "close")
  RunController runController(
      TaskStore store,
      ClusterRegistry clusters,
      EventService events,
      dev.berth.core.time.Scheduler scheduler,
      CallbackSender callbacks,
      ObjectMapper json,
      ObjectProvider<RunController> self,
      dev.berth.core.metrics.MetricSource metrics) {
    return new RunController(
        store,
        clusters,
        events,
        scheduler,
        run -> {
          Optional<dev.berth.core.task.Task> task = store.find(run.task());
          if (task.isEmpty() || task.get().callbackUrl() == null) {
            return;
          }
          if (task.get().callbackSecret() == null) {
            self.getObject()
                .recordCallback(
                    run.id(),
                    "not sent: the callback secret cannot be opened with this server's berth.secret-key;"
                        + " restore the key or create the task again",
                    0);
            return;
          }
          callbacks.send(
              task.get().callbackUrl(),
              task.get().callbackSecret(),
              body(json, run),
              (status, attempts) -> self.getObject().recordCallback(run.id(), status, attempts));
        },
        dev.berth.core.task.NodeCpu.from(metrics));
  }

  /** Seals callback secrets that a version before 0009 stored in plain text (docs/adr/0009). */
  @Bean
  ApplicationRunner sealPlainCallbackSecrets(JdbcTaskStore store) {
    return args -> {
      int sealed = store.sealPlainCallbackSecrets();
      if (sealed > 0) {
        LOG.info("sealed {} task callback secrets that were stored in plain text", sealed);
      }
    };
  }

  @Bean
  CustomTask<Void> fireTask(
      ObjectProvider<TaskService> tasks, ObjectProvider<DbTaskScheduling> scheduling) {
    return fireTask(
        (task, fireTime) -> tasks.getObject().fireScheduled(task, fireTime), scheduling::getObject);
  }

  /**
   * The {@code berth-task-fire} task: at a stored fire time, {@code fire} runs the task (returning
   * its next fire time), db-scheduler stores the next time or forgets the task, and this process's
   * timer is armed for it.
   */
  static CustomTask<Void> fireTask(
      BiFunction<String, Instant, Optional<Instant>> fire, Supplier<DbTaskScheduling> scheduling) {
    return Tasks.custom(FIRE_TASK, Void.class)
        .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(10)))
        .onDeadExecutionRevive()
        .execute(
            (instance, context) -> {
              Instant fireTime = context.getExecution().executionTime;
              Optional<Instant> next = fire.apply(instance.getId(), fireTime);
              return (complete, ops) -> {
                if (next.isPresent()) {
                  ops.reschedule(complete, next.get());
                } else {
                  ops.remove();
                }
                scheduling.get().fired(instance.getId(), next);
              };
            });
  }

  @Bean
  DbTaskScheduling taskScheduling(
      CustomTask<Void> fireTask, dev.berth.core.time.Scheduler scheduler) {
    return new DbTaskScheduling(fireTask, scheduler);
  }

  /**
   * db-scheduler: the durable fire times and the cluster-wide claim. Its poll is the fallback; a
   * fire normally starts when this process's timer for it goes off
   * (docs/adr/0011-cron-fire-timer.md).
   */
  @Bean(destroyMethod = "stop")
  Scheduler fireTimeScheduler(
      DataSource dataSource,
      CustomTask<Void> fireTask,
      DbTaskScheduling scheduling,
      TaskProperties properties) {
    Scheduler scheduler = fireTimeScheduler(dataSource, fireTask, properties.pollingInterval());
    scheduling.attach(scheduler);
    return scheduler;
  }

  static Scheduler fireTimeScheduler(
      DataSource dataSource, CustomTask<Void> fireTask, Duration pollingInterval) {
    return Scheduler.create(dataSource, fireTask)
        .jdbcCustomization(jdbcCustomization(dataSource))
        .threads(4)
        .pollingInterval(pollingInterval)
        .enableImmediateExecution()
        .deleteUnresolvedAfter(Duration.ofDays(1))
        .shutdownMaxWait(Duration.ofSeconds(5))
        .build();
  }

  @Bean
  TaskService taskService(
      TaskStore store,
      ClusterRegistry clusters,
      EventService events,
      Clock clock,
      DbTaskScheduling scheduling,
      RunController runs,
      dev.berth.core.app.AppStore apps) {
    return new TaskService(
        store,
        clusters,
        events,
        clock,
        scheduling,
        runs,
        () -> Tokens.randomUrlSafe(32),
        name -> apps.find(name).isPresent());
  }

  /**
   * db-scheduler's SQL dialect: its generic one on H2 (what its detection picks there anyway,
   * without the warning it logs about zone-less time columns: Berth's are {@code TIMESTAMP WITH
   * TIME ZONE}), detected on other databases.
   */
  static JdbcCustomization jdbcCustomization(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      if ("H2".equals(c.getMetaData().getDatabaseProductName())) {
        return new DefaultJdbcCustomization(false);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot reach the database to choose the task scheduler's SQL dialect: " + e.getMessage(),
          e);
    }
    return new AutodetectJdbcCustomization(dataSource);
  }

  static String body(ObjectMapper json, Run run) {
    try {
      return json.writeValueAsString(RunJson.of(run));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write run " + run.id() + " as JSON", e);
    }
  }
}
