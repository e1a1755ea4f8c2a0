package dev.berth.runtime.local;

import dev.berth.core.node.NodeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Facts about this host for {@link NodeInfo}: name, CPUs, memory; and a static-binary check. */
final class HostInfo {
  static final int PODS = 110;
  static final long MEMORY_RESERVE_MIB = 512;

  /** The floor when Berth may give any {@code oom_score_adj}: the kernel's own minimum. */
  static final int NO_OOM_SCORE_ADJ_FLOOR = -1000;

  private static final int CAP_SYS_RESOURCE = 24;

  private HostInfo() {}

  /**
   * The lowest {@code oom_score_adj} Berth can give a container: any with {@code CAP_SYS_RESOURCE}
   * in its effective set, else its own value (the kernel refuses to lower below it, and runc's
   * start then fails).
   */
  static int oomScoreAdjFloor() {
    try {
      String caps =
          Files.readAllLines(Path.of("/proc/self/status")).stream()
              .filter(l -> l.startsWith("CapEff:"))
              .map(l -> l.substring("CapEff:".length()).trim())
              .findFirst()
              .orElse("0");
      if ((Long.parseUnsignedLong(caps, 16) & (1L << CAP_SYS_RESOURCE)) != 0) {
        return NO_OOM_SCORE_ADJ_FLOOR;
      }
      return Integer.parseInt(
          Files.readAllLines(Path.of("/proc/self/oom_score_adj")).getFirst().trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  static String hostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      return "localhost";
    }
  }

  static long memoryMiB() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)
          .findFirst()
          .orElse(0);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  static NodeInfo node(
      String cluster, String name, String ip, String runtimeVersion, NodeInfo.Capacity usage) {
    int cpus = Runtime.getRuntime().availableProcessors();
    long mem = memoryMiB();
    NodeInfo.Capacity capacity = new NodeInfo.Capacity(cpus, mem, PODS);
    NodeInfo.Capacity allocatable =
        new NodeInfo.Capacity(
            Math.max(0.1, cpus - 0.1), Math.max(0, mem - MEMORY_RESERVE_MIB), PODS);
    Map<String, String> labels =
        Map.of(
            "kubernetes.io/hostname",
            name,
            "kubernetes.io/os",
            "linux",
            "kubernetes.io/arch",
            "amd64",
            "berth.dev/runtime",
            "local");
    return new NodeInfo(
        cluster,
        name,
        ip,
        "local",
        labels,
        "default",
        capacity,
        allocatable,
        usage,
        true,
        true,
        runtimeVersion);
  }

  /** True for an ELF binary without a PT_INTERP program header (statically linked). */
  static boolean isStatic(Path binary) {
    try (InputStream in = Files.newInputStream(binary)) {
      byte[] h = in.readNBytes(64);
      if (h.length < 64 || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F' || h[4] != 2) {
        return false;
      }
      long phoff = le(h, 32, 8);
      int phentsize = (int) le(h, 54, 2);
      int phnum = (int) le(h, 56, 2);
      byte[] rest = in.readNBytes((int) Math.max(0, phoff - 64 + (long) phentsize * phnum));
      byte[] all = new byte[64 + rest.length];
      System.arraycopy(h, 0, all, 0, 64);
      System.arraycopy(rest, 0, all, 64, rest.length);
      for (int i = 0; i < phnum; i++) {
        int off = (int) phoff + i * phentsize;
        if (off + 4 <= all.length && le(all, off, 4) == 3) { // PT_INTERP
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long le(byte[] b, int off, int len) {
    long v = 0;
    for (int i = len - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
