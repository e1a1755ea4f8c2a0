package dev.berth.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.alert.AlertRule;
import dev.berth.core.alert.ConditionReader;
import dev.berth.core.alert.DefaultRules;
import dev.berth.core.alert.KnownMetrics;
import dev.berth.core.alert.Receiver;
import dev.berth.core.alert.ReceiverValidator;
import dev.berth.core.alert.RuleValidator;
import dev.berth.core.app.App;
import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.outbound.OutboundPolicy;
import dev.berth.core.time.Scheduler;
import dev.berth.server.event.EventService;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires alerting: the rule and receiver checks, what rules read (Berth's status series and the
 * collected metrics), the notifiers and per-receiver delivery queues, and the evaluator, which runs
 * every {@code berth.alert.interval} on the injected {@link Scheduler}. At start the shipped rules
 * that are missing are added and the outbox's unsent messages are queued again.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertProperties.class)
public class AlertConfig {
  private static final Logger LOG = LoggerFactory.getLogger(AlertConfig.class);

  /** The metric names rules may name. */
  public record RuleMetrics(Set<String> names) {}

  @Bean
  RuleMetrics ruleMetrics() {
    return new RuleMetrics(KnownMetrics.names(Set.of()));
  }

  @Bean
  RuleValidator ruleValidator(RuleMetrics metrics) {
    return new RuleValidator(metrics.names());
  }

  @Bean
  ReceiverValidator receiverValidator(OutboundPolicy outbound) {
    return new ReceiverValidator(outbound);
  }

  @Bean
  AlertEvaluator alertEvaluator(
      JdbcAlertConfigStore config,
      JdbcAlertStore store,
      ClusterRegistry clusters,
      AppStore apps,
      EventService events,
      ObjectProvider<MetricSource> collected,
      ReceiverOperations receivers,
      OutboundPolicy outbound,
      AlertProperties properties,
      Scheduler scheduler,
      ObjectMapper json) {
    MetricSource metrics =
        new AlertMetrics(new StatusMetrics(clusters, apps, scheduler), collected::getIfUnique);
    ConditionReader reader =
        new ConditionReader(
            metrics,
            since -> events.query(new EventQuery(null, null, since, 0, 1000)),
            app -> apps.find(app).map(App::team).orElse(null));
    Map<Receiver.Type, Notifier> notifiers =
        Map.of(
            Receiver.Type.WEBHOOK,
            new HttpNotifier(json, outbound, OutboundPolicy.Resolver.SYSTEM, scheduler),
            Receiver.Type.ALERTMANAGER,
            new HttpNotifier(json, outbound, OutboundPolicy.Resolver.SYSTEM, scheduler),
            Receiver.Type.EMAIL,
            new MailNotifier(properties.smtp()));
    DeliveryQueues queues =
        new DeliveryQueues(
            new DeliveryQueues.Parts(
                store, config::receiver, receivers::openSecret, notifiers, scheduler, json),
            properties.deliveryAttempts(),
            properties.deliveryBackoff());
    Notifications notifications = new Notifications(config, store, queues, json);
    notifications.resume();
    return new AlertEvaluator(config, store, reader, events, notifications, scheduler);
  }

  /** Adds missing shipped rules and starts the evaluation and the sweep of old alerts. */
  @Bean
  ApplicationRunner startAlerting(
      JdbcAlertConfigStore config,
      JdbcAlertStore store,
      AlertEvaluator evaluator,
      AlertProperties properties,
      Scheduler scheduler,
      Clock clock) {
    return args -> {
      for (AlertRule rule : DefaultRules.all()) {
        if (config.rule(rule.name()).isEmpty()) {
          config.createRule(rule, "berth", clock.instant());
        }
      }
      scheduler.scheduleWithFixedDelay(
          properties.interval(), properties.interval(), evaluator::evaluate);
      scheduler.scheduleWithFixedDelay(
          java.time.Duration.ofMinutes(1),
          java.time.Duration.ofHours(1),
          () -> {
            int gone = store.deleteResolvedBefore(clock.instant().minus(properties.retention()));
            if (gone > 0) {
              LOG.info("deleted {} resolved alerts older than {}", gone, properties.retention());
            }
          });
    };
  }
}
