package dev.berth.runtime.local.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pure parsers of the {@code /proc} files the host metrics come from. Each takes the file's text
 * and returns what it holds; malformed lines are skipped, never thrown.
 */
public final class ProcParsers {
  /** The kernel's clock ticks per second for {@code /proc/stat} (USER_HZ, 100 on every arch). */
  static final double USER_HZ = 100.0;

  private static final List<String> CPU_MODES =
      List.of("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal");

  /** Filesystems that hold data (not pseudo, network or container overlay filesystems). */
  static final Set<String> DISK_FILESYSTEMS =
      Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "vfat", "reiserfs", "jfs");

  private ProcParsers() {}

  /** CPU seconds of all CPUs by mode, from the {@code cpu} line of {@code /proc/stat}. */
  public static Map<String, Double> cpuSeconds(String stat) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : stat.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 1 && f[0].equals("cpu")) {
        for (int i = 0; i < CPU_MODES.size() && i + 1 < f.length; i++) {
          String mode = CPU_MODES.get(i);
          number(f[i + 1]).ifPresent(v -> out.put(mode, v / USER_HZ));
        }
        break;
      }
    }
    return out;
  }

  /** The number of {@code cpuN} lines of {@code /proc/stat}. */
  public static int cpuCount(String stat) {
    return (int) stat.lines().filter(l -> l.matches("cpu\\d+\\s.*")).count();
  }

  /**
   * {@code /proc/meminfo} in bytes, keyed by its names ({@code MemTotal}, {@code MemAvailable}).
   */
  public static Map<String, Double> meminfo(String meminfo) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : meminfo.lines().toList()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      double unit = f.length > 1 && f[1].equals("kB") ? 1024 : 1;
      number(f[0]).ifPresent(v -> out.put(line.substring(0, colon), v * unit));
    }
    return out;
  }

  /**
   * {@code /proc/loadavg}: the three load averages and, from its fourth field ({@code
   * running/total}), the number of threads on the host.
   */
  public static Optional<LoadAvg> loadavg(String loadavg) {
    String[] f = loadavg.trim().split("\\s+");
    if (f.length < 4 || !f[3].contains("/")) {
      return Optional.empty();
    }
    Optional<Double> l1 = number(f[0]);
    Optional<Double> l5 = number(f[1]);
    Optional<Double> l15 = number(f[2]);
    Optional<Double> threads = number(f[3].substring(f[3].indexOf('/') + 1));
    if (l1.isEmpty() || l5.isEmpty() || l15.isEmpty() || threads.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LoadAvg(l1.get(), l5.get(), l15.get(), threads.get()));
  }

  /** The load averages and the thread count of {@code /proc/loadavg}. */
  public record LoadAvg(double load1, double load5, double load15, double threads) {}

  /**
   * The {@code TCP:} line of {@code /proc/net/sockstat}: {@code inuse}, {@code orphan}, {@code tw}
   * (TIME_WAIT), {@code alloc}, {@code mem}. Counting sockets here is one read of one short file,
   * unlike walking {@code /proc/net/tcp}.
   */
  public static Map<String, Double> sockstatTcp(String sockstat) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : sockstat.lines().toList()) {
      if (line.startsWith("TCP:")) {
        String[] f = line.substring(4).trim().split("\\s+");
        for (int i = 0; i + 1 < f.length; i += 2) {
          String key = f[i];
          number(f[i + 1]).ifPresent(v -> out.put(key, v));
        }
      }
    }
    return out;
  }

  /**
   * The {@code Tcp:} counters of {@code /proc/net/snmp} (a header line of names followed by a line
   * of values), e.g. {@code OutSegs} and {@code RetransSegs}.
   */
  public static Map<String, Double> snmpTcp(String snmp) {
    List<String> lines = snmp.lines().filter(l -> l.startsWith("Tcp:")).toList();
    Map<String, Double> out = new LinkedHashMap<>();
    if (lines.size() < 2) {
      return out;
    }
    String[] names = lines.get(0).substring(4).trim().split("\\s+");
    String[] values = lines.get(1).substring(4).trim().split("\\s+");
    for (int i = 0; i < names.length && i < values.length; i++) {
      String name = names[i];
      number(values[i]).ifPresent(v -> out.put(name, v));
    }
    return out;
  }

  /** Received and transmitted bytes per device from {@code /proc/net/dev}. */
  public static List<NetDev> netDev(String dev) {
    List<NetDev> out = new ArrayList<>();
    for (String line : dev.lines().toList()) {
      int colon = line.indexOf(':');
      if (colon <= 0 || line.contains("|")) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length >= 9) {
        Optional<Double> rx = number(f[0]);
        Optional<Double> tx = number(f[8]);
        if (rx.isPresent() && tx.isPresent()) {
          out.add(new NetDev(name, rx.get(), tx.get()));
        }
      }
    }
    return out;
  }

  /** One network device's byte counters. */
  public record NetDev(String device, double receiveBytes, double transmitBytes) {}

  /**
   * The disk filesystems of {@code /proc/mounts}, one per device (its first mount point), octal
   * escapes in mount points ({@code \040} for a space) decoded.
   */
  public static List<Mount> diskMounts(String mounts) {
    Map<String, Mount> byDevice = new LinkedHashMap<>();
    for (String line : mounts.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && DISK_FILESYSTEMS.contains(f[2])) {
        byDevice.putIfAbsent(f[0], new Mount(f[0], unescape(f[1]), f[2]));
      }
    }
    return List.copyOf(byDevice.values());
  }

  /** One mounted filesystem. */
  public record Mount(String device, String mountpoint, String fstype) {}

  /** A single number file such as {@code nf_conntrack_count} or {@code pid_max}. */
  public static Optional<Double> single(String text) {
    return number(text.trim());
  }

  static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static Optional<Double> number(String s) {
    try {
      return Optional.of(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
