package dev.berth.server.metric;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Metric collection and history ({@code berth.metrics.*}, e.g. {@code BERTH_METRICS_INTERVAL}).
 *
 * @param enabled whether Berth collects metrics at all
 * @param interval how often every cluster's usage is collected (also the fine tier's step)
 * @param rawRetention how long the fine tier keeps its samples
 * @param coarseStep the step of the coarse tier (the mean of a gauge, the last value of a counter)
 * @param coarseRetention how long the coarse tier keeps its samples
 * @param flushInterval how often the store is saved to {@code <data>/metrics}; a crash loses at
 *     most this much history
 * @param prometheus per cluster, the base URL of a Prometheus that holds its series (node-exporter,
 *     cAdvisor, kube-state-metrics): queries for names other than {@code berth_*} on that cluster
 *     go there, with PromQL
 * @param prometheusTimeout how long a query to such a Prometheus may take
 * @param historyFromPrometheus whether Berth's own metrics ({@code berth_*}) of a cluster with a
 *     Prometheus are read from that Prometheus too (which scrapes Berth's {@code
 *     /actuator/prometheus}) instead of the embedded store: for clusters that outgrow the embedded
 *     store (ADR 0024)
 */
@ConfigurationProperties("berth.metrics")
public record MetricsProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("15s") Duration interval,
    @DefaultValue("24h") Duration rawRetention,
    @DefaultValue("5m") Duration coarseStep,
    @DefaultValue("30d") Duration coarseRetention,
    @DefaultValue("1m") Duration flushInterval,
    Map<String, String> prometheus,
    @DefaultValue("5s") Duration prometheusTimeout,
    @DefaultValue("false") boolean historyFromPrometheus) {
  public MetricsProperties {
    prometheus = prometheus == null ? Map.of() : Map.copyOf(prometheus);
  }
}
