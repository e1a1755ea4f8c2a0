package dev.berth.server.metric;

import dev.berth.core.app.App;
import dev.berth.core.app.AppStore;
import dev.berth.core.event.EventSink;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskStore;
import dev.berth.core.time.Scheduler;
import dev.berth.server.access.Access;
import dev.berth.server.cluster.Clusters;
import dev.berth.server.config.BerthProperties;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Metrics: the embedded store ({@code metricStore}), the per-cluster Prometheus sources, the one
 * {@link MetricSource} everything else asks ({@code metrics}, {@link ClusterMetrics}), collection
 * and saving ({@link MetricHistory}) and the export on {@code /actuator/prometheus}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
public class MetricConfig {
  @Bean
  EmbeddedMetricStore metricStore(MetricsProperties properties, Clock clock) {
    return EmbeddedMetricStore.of(
        properties.interval(),
        properties.rawRetention(),
        properties.coarseStep(),
        properties.coarseRetention(),
        clock);
  }

  /** The source charts, rules and the metrics API read. */
  @Bean
  @Primary
  ClusterMetrics metrics(EmbeddedMetricStore store, MetricsProperties properties) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(properties.prometheusTimeout())
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    Map<String, MetricSource> prometheus = new HashMap<>();
    properties
        .prometheus()
        .forEach(
            (cluster, url) ->
                prometheus.put(
                    cluster,
                    new PrometheusSource(URI.create(url), http, properties.prometheusTimeout())));
    return new ClusterMetrics(store, prometheus, properties.historyFromPrometheus());
  }

  @Bean
  MetricOperations metricOperations(Access access, MetricSource metrics, AppStore apps) {
    return new MetricOperations(access, metrics, app -> apps.find(app).map(App::team));
  }

  @Bean
  MetricsCollector metricsCollector(
      Clusters clusters,
      AppStore apps,
      TaskStore tasks,
      EmbeddedMetricStore store,
      EventSink events,
      Clock clock) {
    return new MetricsCollector(
        clusters::runtimes,
        new MetricsCollector.Teams(
            app -> apps.find(app).map(App::team), task -> tasks.find(task).map(Task::team)),
        store,
        events,
        clock);
  }

  @Bean(destroyMethod = "close")
  MetricHistory metricHistory(
      EmbeddedMetricStore store,
      MetricsCollector collector,
      MetricsProperties properties,
      BerthProperties berth,
      Scheduler scheduler,
      ObjectProvider<PrometheusRegistry> registry,
      Clock clock) {
    registry.ifAvailable(r -> r.register(new PrometheusExport(store, clock)));
    return new MetricHistory(
        store,
        new StoreFile(berth.dataDir().resolve("metrics").resolve("series.bin.gz")),
        collector,
        properties,
        scheduler);
  }
}
