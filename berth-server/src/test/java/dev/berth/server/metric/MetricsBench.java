package dev.berth.server.metric;

import com.sun.net.httpserver.HttpServer;
import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Sample;
import dev.berth.core.time.ManualScheduler;
import dev.berth.runtime.local.cgroup.Cgroups;
import dev.berth.runtime.local.metrics.CpuRates;
import dev.berth.runtime.local.metrics.HostMetrics;
import dev.berth.runtime.local.metrics.WorkloadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The metrics benchmark (bench/metrics.sh), printing figures without thresholds: collector CPU per
 * 100 instances (the real /proc and cgroup reads of 100 cgroups made for the run), store bytes per
 * series per day, p99 of a 24 h chart query over 100 instances, and the scrape of Berth's
 * Prometheus text with 1 000 instances beside node-exporter's own scrape in the same run.
 * Arguments: the node-exporter URL (may be empty to skip that peer).
 */
public final class MetricsBench {
  static final Duration STEP = Duration.ofSeconds(15);
  static final List<String> INSTANCE_METRICS =
      List.of(
          MetricNames.INSTANCE_CPU_SECONDS,
          MetricNames.INSTANCE_CPU_USAGE,
          MetricNames.INSTANCE_CPU_THROTTLED,
          MetricNames.INSTANCE_MEMORY_WORKING_SET,
          MetricNames.INSTANCE_MEMORY_LIMIT,
          MetricNames.INSTANCE_PIDS,
          MetricNames.INSTANCE_PIDS_LIMIT,
          MetricNames.INSTANCE_OOM_KILLS,
          MetricNames.INSTANCE_RESTARTS);

  public static void main(String[] args) throws Exception {
    String nodeExporter = args.length > 0 ? args[0] : "";
    collectorCpu(100);
    StoreFigures store = storeBytes(100);
    chartQuery(store.store, store.clock, 100);
    scrape(1000, nodeExporter);
  }

  record StoreFigures(EmbeddedMetricStore store, ManualScheduler clock) {}

  static EmbeddedMetricStore store(ManualScheduler clock) {
    return EmbeddedMetricStore.of(
        STEP, Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofDays(30), clock);
  }

  static Map<String, String> labels(int i) {
    return Map.of(
        "cluster",
        "local",
        "node",
        "bench",
        "app",
        "app" + (i / 10),
        "instance",
        "app" + (i / 10) + "-" + (i % 10),
        "team",
        "bench");
  }

  /** CPU of collection passes over the host and {@code n} real cgroups, per pass and per 15 s. */
  static void collectorCpu(int n) throws IOException {
    Cgroups host = Cgroups.host();
    String parent = "berth-bench-" + ProcessHandle.current().pid();
    List<Path> made = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        made.addAll(makeCgroup(host, "/" + parent + "/i-" + i));
      }
      HostMetrics hostMetrics = HostMetrics.of(Path.of(System.getProperty("java.io.tmpdir")));
      CpuRates rates = new CpuRates();
      ManualScheduler clock = new ManualScheduler(Instant.now());
      EmbeddedMetricStore store = store(clock);
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      int passes = 200;
      for (int warm = 0; warm < 20; warm++) {
        pass(host, parent, n, hostMetrics, rates, store, clock);
      }
      long before = cpu.getCurrentThreadCpuTime();
      for (int p = 0; p < passes; p++) {
        pass(host, parent, n, hostMetrics, rates, store, clock);
      }
      double perPassMs = (cpu.getCurrentThreadCpuTime() - before) / 1e6 / passes;
      System.out.printf(
          "collector: %.2f ms CPU per pass over the host and %d %s cgroups = %.3f %% of one core at a"
              + " 15 s interval%n",
          perPassMs, n, host.mode(), perPassMs / 15_000 * 100);
    } finally {
      for (int i = made.size() - 1; i >= 0; i--) {
        Files.deleteIfExists(made.get(i));
      }
      host.removeIfEmpty("/" + parent);
    }
  }

  private static void pass(
      Cgroups host,
      String parent,
      int n,
      HostMetrics hostMetrics,
      CpuRates rates,
      EmbeddedMetricStore store,
      ManualScheduler clock) {
    Instant now = clock.instant();
    List<Sample> out = new ArrayList<>(hostMetrics.read("local", "bench", now));
    for (int i = 0; i < n; i++) {
      int k = i;
      host.stats("/" + parent + "/i-" + i)
          .ifPresent(st -> out.addAll(WorkloadMetrics.instance(labels(k), st, 0, 0, now)));
    }
    store.write(rates.withUsage(out));
    clock.advance(STEP);
  }

  /** The cgroup directories of one container, made as runc makes them (v1: per controller). */
  private static List<Path> makeCgroup(Cgroups host, String path) throws IOException {
    Path root = Path.of("/sys/fs/cgroup");
    List<Path> dirs = new ArrayList<>();
    List<String> controllers =
        host.mode() == Cgroups.Mode.V2 ? List.of("") : List.of("memory", "cpu,cpuacct", "pids");
    for (String c : controllers) {
      Path base = c.isEmpty() ? root : root.resolve(c);
      if (!Files.isDirectory(base)) {
        continue;
      }
      Path p = base;
      for (String part : path.substring(1).split("/")) {
        p = p.resolve(part);
        if (!Files.isDirectory(p)) {
          Files.createDirectory(p);
          dirs.add(p);
        }
      }
    }
    return dirs;
  }

  /** A day of samples for the instance metrics of {@code n} instances: saved and in-memory size. */
  static StoreFigures storeBytes(int n) throws IOException {
    ManualScheduler clock = new ManualScheduler(Instant.parse("2026-12-01T00:00:00Z"));
    EmbeddedMetricStore store = store(clock);
    Random random = new Random(42);
    Map<String, Double> counters = new HashMap<>();
    int passes = (int) (Duration.ofDays(1).toMillis() / STEP.toMillis());
    for (int p = 0; p < passes; p++) {
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Map<String, String> l = labels(i);
        for (String m : INSTANCE_METRICS) {
          double v;
          if (MetricNames.isCounter(m)) {
            v = counters.merge(m + i, random.nextDouble() * 2, Double::sum);
          } else if (m.endsWith("limit_bytes") || m.endsWith("pids_limit")) {
            v = 256 * 1024 * 1024;
          } else {
            v = 50e6 + random.nextGaussian() * 5e6;
          }
          samples.add(new Sample(m, l, v, clock.instant()));
        }
      }
      store.write(samples);
      clock.advance(STEP);
    }
    Path file = Files.createTempFile("berth-metrics-bench", ".bin.gz");
    new StoreFile(file).save(store);
    int series = store.seriesCount();
    System.out.printf(
        "store: %d series over one day at 15 s: %.0f bytes per series per day on disk (gzip), %.0f in"
            + " memory (fine tier %.0f of it)%n",
        series,
        (double) Files.size(file) / series,
        (double) store.bytes() / series,
        (double) Duration.ofDays(1).toMillis() / STEP.toMillis() * 5);
    Files.delete(file);
    return new StoreFigures(store, clock);
  }

  /** p50/p99 of a 24 h chart (5 min step) of one metric over {@code n} instances. */
  static void chartQuery(EmbeddedMetricStore store, ManualScheduler clock, int n) {
    Instant to = clock.instant();
    Instant from = to.minus(Duration.ofHours(24)).plus(STEP);
    List<Long> nanos = new ArrayList<>();
    int points = 0;
    for (int i = 0; i < 300; i++) {
      long t0 = System.nanoTime();
      var series =
          store.range(
              MetricNames.INSTANCE_MEMORY_WORKING_SET,
              Map.of("team", "bench"),
              from,
              to,
              Duration.ofMinutes(5));
      nanos.add(System.nanoTime() - t0);
      points = series.stream().mapToInt(s -> s.points().size()).sum();
    }
    nanos.sort(null);
    List<Long> measured = nanos.subList(0, nanos.size());
    System.out.printf(
        "chart query: 24 h of %s for %d instances (%d points): p50 %.2f ms, p99 %.2f ms%n",
        MetricNames.INSTANCE_MEMORY_WORKING_SET,
        n,
        points,
        measured.get(measured.size() / 2) / 1e6,
        measured.get((int) Math.round(0.99 * (measured.size() - 1))) / 1e6);
  }

  /**
   * Berth's Prometheus text for {@code n} instances served over HTTP by the same registry and
   * export /actuator/prometheus uses, beside node-exporter's /metrics.
   */
  static void scrape(int n, String nodeExporter) throws Exception {
    ManualScheduler clock = new ManualScheduler(Instant.now());
    EmbeddedMetricStore store = store(clock);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (String m : INSTANCE_METRICS) {
        samples.add(new Sample(m, labels(i), i, clock.instant()));
      }
    }
    samples.addAll(
        HostMetrics.of(Path.of(System.getProperty("java.io.tmpdir")))
            .read("local", "bench", clock.instant()));
    store.write(samples);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.getPrometheusRegistry().register(new PrometheusExport(store, clock));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/actuator/prometheus",
        ex -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      Figures berth =
          time(
              http,
              URI.create(
                  "http://127.0.0.1:" + server.getAddress().getPort() + "/actuator/prometheus"));
      System.out.printf(
          "scrape: Berth with %d instances (%d series, %d KiB): p50 %.1f ms, p99 %.1f ms%n",
          n, store.seriesCount(), berth.bytes / 1024, berth.p50, berth.p99);
      if (!nodeExporter.isBlank()) {
        Figures ne = time(http, URI.create(nodeExporter + "/metrics"));
        System.out.printf(
            "scrape: node-exporter on this host (%d KiB): p50 %.1f ms, p99 %.1f ms%n",
            ne.bytes / 1024, ne.p50, ne.p99);
      }
    } finally {
      server.stop(0);
    }
  }

  record Figures(long bytes, double p50, double p99) {}

  static Figures time(HttpClient http, URI uri) throws IOException, InterruptedException {
    List<Long> nanos = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < 120; i++) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      long t = System.nanoTime() - t0;
      if (i >= 20) {
        nanos.add(t);
      }
      bytes = r.body().length;
    }
    nanos.sort(null);
    return new Figures(
        bytes,
        nanos.get(nanos.size() / 2) / 1e6,
        nanos.get((int) Math.round(0.99 * (nanos.size() - 1))) / 1e6);
  }
}
