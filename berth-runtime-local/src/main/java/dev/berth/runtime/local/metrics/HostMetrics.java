package dev.berth.runtime.local.metrics;

import static dev.berth.core.metrics.MetricNames.*;

import dev.berth.core.metrics.Sample;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The host's metrics read from {@code /proc} and {@code /sys} without an agent: CPU, memory, load,
 * disk filesystems and the image store's, conntrack entries against their limit, processes and
 * threads against {@code pid_max}, TCP sockets ({@code /proc/net/sockstat}) and retransmissions
 * ({@code /proc/net/snmp}), network bytes. A file this host lacks (no conntrack module loaded, a
 * container without {@code /proc/net}) leaves its metrics out. Thread-safe; each call reads afresh.
 *
 * @param proc the proc file system, {@code /proc} on a real host
 * @param imageStore a directory inside Berth's image store (whose filesystem is measured)
 * @param statfs how a mount point's sizes are read (the JDK's {@link FileStore} on a real host)
 */
public record HostMetrics(Path proc, Path imageStore, Function<Path, Optional<FsSize>> statfs) {

  /** A filesystem's size, used and available bytes (available: for unprivileged users). */
  public record FsSize(double size, double used, double avail) {}

  /** The real host's files. */
  public static HostMetrics of(Path imageStore) {
    return new HostMetrics(Path.of("/proc"), imageStore, HostMetrics::fileStore);
  }

  /** Every host sample at {@code now}, labelled with {@code cluster} and {@code node}. */
  public List<Sample> read(String cluster, String node, Instant now) {
    Map<String, String> base = Map.of(CLUSTER, cluster, NODE, node);
    List<Sample> out = new ArrayList<>();
    Emit emit = (name, extra, value) -> out.add(new Sample(name, with(base, extra), value, now));
    text("stat")
        .ifPresent(
            stat -> {
              ProcParsers.cpuSeconds(stat)
                  .forEach((mode, v) -> emit.add(NODE_CPU_SECONDS, Map.of(MODE, mode), v));
              emit.add(NODE_CPUS, Map.of(), ProcParsers.cpuCount(stat));
            });
    text("meminfo").map(ProcParsers::meminfo).ifPresent(m -> memory(m, emit));
    text("loadavg")
        .flatMap(ProcParsers::loadavg)
        .ifPresent(
            l -> {
              emit.add(NODE_LOAD1, Map.of(), l.load1());
              emit.add(NODE_LOAD5, Map.of(), l.load5());
              emit.add(NODE_LOAD15, Map.of(), l.load15());
              emit.add(NODE_THREADS, Map.of(), l.threads());
            });
    number("sys/net/netfilter/nf_conntrack_count")
        .ifPresent(v -> emit.add(NODE_CONNTRACK_ENTRIES, Map.of(), v));
    number("sys/net/netfilter/nf_conntrack_max")
        .ifPresent(v -> emit.add(NODE_CONNTRACK_LIMIT, Map.of(), v));
    number("sys/kernel/pid_max").ifPresent(v -> emit.add(NODE_PID_MAX, Map.of(), v));
    processes().ifPresent(v -> emit.add(NODE_PIDS, Map.of(), v));
    text("net/sockstat").map(ProcParsers::sockstatTcp).ifPresent(t -> tcp(t, emit));
    text("net/snmp")
        .map(ProcParsers::snmpTcp)
        .ifPresent(
            t -> {
              put(emit, NODE_TCP_OUT_SEGMENTS, t.get("OutSegs"));
              put(emit, NODE_TCP_RETRANSMITTED, t.get("RetransSegs"));
            });
    text("net/dev").map(ProcParsers::netDev).ifPresent(devs -> network(devs, emit));
    text("mounts").map(ProcParsers::diskMounts).ifPresent(mounts -> filesystems(mounts, emit));
    if (imageStore != null) {
      statfs
          .apply(imageStore)
          .ifPresent(
              fs -> {
                emit.add(NODE_IMAGE_STORE_SIZE, Map.of(), fs.size());
                emit.add(NODE_IMAGE_STORE_USED, Map.of(), fs.used());
                emit.add(NODE_IMAGE_STORE_AVAIL, Map.of(), fs.avail());
              });
    }
    return out;
  }

  private interface Emit {
    void add(String name, Map<String, String> extra, double value);
  }

  private static void memory(Map<String, Double> m, Emit emit) {
    put(emit, NODE_MEMORY_TOTAL, m.get("MemTotal"));
    put(emit, NODE_MEMORY_AVAILABLE, m.get("MemAvailable"));
    put(emit, NODE_MEMORY_FREE, m.get("MemFree"));
    put(emit, NODE_MEMORY_CACHED, m.get("Cached"));
    put(emit, NODE_MEMORY_BUFFERS, m.get("Buffers"));
  }

  private static void tcp(Map<String, Double> t, Emit emit) {
    put(emit, NODE_TCP_INUSE, t.get("inuse"));
    put(emit, NODE_TCP_ORPHAN, t.get("orphan"));
    put(emit, NODE_TCP_TIME_WAIT, t.get("tw"));
    put(emit, NODE_TCP_ALLOC, t.get("alloc"));
  }

  private static void network(List<ProcParsers.NetDev> devs, Emit emit) {
    for (ProcParsers.NetDev d : devs) {
      if (d.device().equals("lo") || d.device().startsWith("veth")) {
        continue;
      }
      emit.add(NODE_NETWORK_RECEIVE, Map.of(DEVICE, d.device()), d.receiveBytes());
      emit.add(NODE_NETWORK_TRANSMIT, Map.of(DEVICE, d.device()), d.transmitBytes());
    }
  }

  private void filesystems(List<ProcParsers.Mount> mounts, Emit emit) {
    for (ProcParsers.Mount m : mounts) {
      Optional<FsSize> size = statfs.apply(Path.of(m.mountpoint()));
      if (size.isEmpty()) {
        continue;
      }
      Map<String, String> labels =
          Map.of(DEVICE, m.device(), MOUNTPOINT, m.mountpoint(), FSTYPE, m.fstype());
      emit.add(NODE_FILESYSTEM_SIZE, labels, size.get().size());
      emit.add(NODE_FILESYSTEM_USED, labels, size.get().used());
      emit.add(NODE_FILESYSTEM_AVAIL, labels, size.get().avail());
    }
  }

  private static void put(Emit emit, String name, Double value) {
    if (value != null) {
      emit.add(name, Map.of(), value);
    }
  }

  private Optional<Double> processes() {
    try (Stream<Path> dirs = Files.list(proc)) {
      return Optional.of(
          (double)
              dirs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                  .count());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<String> text(String rel) {
    try {
      return Optional.of(read(proc.resolve(rel)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads a /proc file with large reads: sysctl files ({@code /proc/sys/...}) answer only a read at
   * offset 0, so a reader that starts with a one-byte read (as {@link Files#readString} does for a
   * file whose size is 0) sees just the first digit.
   */
  static String read(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(1 << 20), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private Optional<Double> number(String rel) {
    return text(rel).flatMap(ProcParsers::single);
  }

  private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
    if (extra.isEmpty()) {
      return base;
    }
    Map<String, String> m = new HashMap<>(base);
    m.putAll(extra);
    return m;
  }

  /** The sizes of the filesystem holding {@code path}, by statvfs(3) through the JDK. */
  static Optional<FsSize> fileStore(Path path) {
    try {
      FileStore fs = Files.getFileStore(path);
      double total = fs.getTotalSpace();
      double free = fs.getUnallocatedSpace();
      return Optional.of(new FsSize(total, total - free, fs.getUsableSpace()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
