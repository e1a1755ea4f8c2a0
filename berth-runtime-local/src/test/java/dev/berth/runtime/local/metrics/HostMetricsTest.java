package dev.berth.runtime.local.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host metrics on a fake /proc (every file as captured) and on this host's real /proc, where
 * each value must equal what the kernel's own file says.
 */
class HostMetricsTest {
  @TempDir Path proc;

  private void write(String rel, String content) throws IOException {
    Path f = proc.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private static double value(List<Sample> samples, String name) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " missing"))
        .value();
  }

  @Test
  void readsEveryMetricFromAFakeProcWithLabelsOfTheNode() throws IOException {
    write("stat", ProcParsersTest.STAT);
    write("meminfo", ProcParsersTest.MEMINFO);
    write("loadavg", "5.04 3.42 2.48 8/149 15938\n");
    write("net/sockstat", ProcParsersTest.SOCKSTAT);
    write("net/snmp", ProcParsersTest.SNMP);
    write("net/dev", ProcParsersTest.NET_DEV);
    write("mounts", ProcParsersTest.MOUNTS);
    write("sys/net/netfilter/nf_conntrack_count", "1234\n");
    write("sys/net/netfilter/nf_conntrack_max", "262144\n");
    write("sys/kernel/pid_max", "32768\n");
    Files.createDirectories(proc.resolve("1"));
    Files.createDirectories(proc.resolve("42"));
    Files.createDirectories(proc.resolve("self"));
    HostMetrics host =
        new HostMetrics(
            proc,
            Path.of("/images"),
            p ->
                Optional.of(
                    p.equals(Path.of("/images"))
                        ? new HostMetrics.FsSize(1000, 900, 100)
                        : new HostMetrics.FsSize(10, 4, 6)));
    Instant now = Instant.parse("2026-12-03T10:00:00Z");

    List<Sample> samples = host.read("local", "node-a", now);

    assertThat(samples)
        .allSatisfy(
            s -> {
              assertThat(s.labels())
                  .containsEntry(MetricNames.CLUSTER, "local")
                  .containsEntry(MetricNames.NODE, "node-a");
              assertThat(s.at()).isEqualTo(now);
            });
    assertThat(value(samples, MetricNames.NODE_CONNTRACK_ENTRIES)).isEqualTo(1234);
    assertThat(value(samples, MetricNames.NODE_CONNTRACK_LIMIT)).isEqualTo(262144);
    assertThat(value(samples, MetricNames.NODE_PID_MAX)).isEqualTo(32768);
    assertThat(value(samples, MetricNames.NODE_PIDS)).isEqualTo(2);
    assertThat(value(samples, MetricNames.NODE_THREADS)).isEqualTo(149);
    assertThat(value(samples, MetricNames.NODE_TCP_RETRANSMITTED)).isEqualTo(1172);
    assertThat(value(samples, MetricNames.NODE_TCP_TIME_WAIT)).isEqualTo(69);
    assertThat(value(samples, MetricNames.NODE_LOAD1)).isEqualTo(5.04);
    assertThat(value(samples, MetricNames.NODE_CPUS)).isEqualTo(2);
    assertThat(value(samples, MetricNames.NODE_IMAGE_STORE_USED)).isEqualTo(900);
    assertThat(value(samples, MetricNames.NODE_MEMORY_AVAILABLE)).isEqualTo(23751320.0 * 1024);
    assertThat(samples)
        .filteredOn(s -> s.name().equals(MetricNames.NODE_FILESYSTEM_SIZE))
        .extracting(s -> s.labels().get(MetricNames.MOUNTPOINT))
        .containsExactly("/", "/srv/my data");
    assertThat(samples)
        .filteredOn(s -> s.name().equals(MetricNames.NODE_NETWORK_RECEIVE))
        .extracting(s -> s.labels().get(MetricNames.DEVICE))
        .containsExactly("eth0");
    assertThat(samples)
        .filteredOn(s -> s.name().equals(MetricNames.NODE_CPU_SECONDS))
        .extracting(s -> s.labels().get(MetricNames.MODE))
        .contains("user", "idle", "steal");
  }

  @Test
  void aHostWithoutConntrackOrNetworkFilesLeavesThoseMetricsOut() throws IOException {
    write("sys/kernel/pid_max", "4194304\n");
    HostMetrics host = new HostMetrics(proc, null, p -> Optional.empty());

    List<Sample> samples = host.read("local", "n", Instant.EPOCH);

    assertThat(samples)
        .extracting(Sample::name)
        .contains(MetricNames.NODE_PID_MAX)
        .doesNotContain(
            MetricNames.NODE_CONNTRACK_ENTRIES,
            MetricNames.NODE_CONNTRACK_LIMIT,
            MetricNames.NODE_TCP_RETRANSMITTED,
            MetricNames.NODE_CPU_SECONDS);
  }

  @Test
  void matchesThisHostsProcFilesForConntrackPidMaxAndRetransmissions() throws IOException {
    HostMetrics host = HostMetrics.of(Path.of(System.getProperty("java.io.tmpdir")));
    Path real = Path.of("/proc");
    Path count = real.resolve("sys/net/netfilter/nf_conntrack_count");
    boolean conntrack = Files.exists(count);
    double entriesBefore = conntrack ? number(count) : 0;
    double retransBefore = retransmissions(real);

    List<Sample> samples = host.read("local", "this", Instant.now());

    double entriesAfter = conntrack ? number(count) : 0;
    double retransAfter = retransmissions(real);
    assertThat(value(samples, MetricNames.NODE_PID_MAX))
        .isEqualTo(number(real.resolve("sys/kernel/pid_max")));
    // counters read between two readings of the file itself lie between them
    assertThat(value(samples, MetricNames.NODE_TCP_RETRANSMITTED))
        .isBetween(retransBefore, retransAfter);
    if (conntrack) {
      assertThat(value(samples, MetricNames.NODE_CONNTRACK_LIMIT))
          .isEqualTo(number(real.resolve("sys/net/netfilter/nf_conntrack_max")));
      // entries come and go with traffic: between the two readings, give or take a few
      assertThat(value(samples, MetricNames.NODE_CONNTRACK_ENTRIES))
          .isBetween(
              Math.min(entriesBefore, entriesAfter) - 10,
              Math.max(entriesBefore, entriesAfter) + 10);
    } else {
      System.out.println("this host has no nf_conntrack module loaded: conntrack not compared");
      assertThat(samples).extracting(Sample::name).doesNotContain(MetricNames.NODE_CONNTRACK_LIMIT);
    }
    assertThat(value(samples, MetricNames.NODE_THREADS))
        .isPositive()
        .isLessThanOrEqualTo(value(samples, MetricNames.NODE_PID_MAX));
  }

  private static double number(Path file) throws IOException {
    // cat(1) reads with a large buffer, which is what the kernel's sysctl files need
    Process p = new ProcessBuilder("cat", file.toString()).start();
    return Double.parseDouble(new String(p.getInputStream().readAllBytes()).trim());
  }

  private static double retransmissions(Path proc) throws IOException {
    return ProcParsers.snmpTcp(HostMetrics.read(proc.resolve("net/snmp"))).get("RetransSegs");
  }
}
