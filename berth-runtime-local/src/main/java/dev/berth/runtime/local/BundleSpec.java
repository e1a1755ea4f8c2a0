package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.app.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * The runc {@code config.json} of an instance, as a pure function of its {@link ContainerPlan}.
 *
 * <p>Security defaults (docs/adr/0009): capabilities are Docker's default set (runc's own default
 * AUDIT_WRITE, KILL, NET_BIND_SERVICE plus CHOWN, DAC_OVERRIDE, FOWNER, FSETID, SETGID, SETUID,
 * SETPCAP, SETFCAP, NET_RAW, SYS_CHROOT, MKNOD), because ordinary images (package managers, servers
 * that drop privileges) expect it; never SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE. Always
 * {@code noNewPrivileges}, the {@link SeccompProfile}, new pid/ipc/uts/mount namespaces, a device
 * cgroup that allows only runc's standard devices (so {@code mknod} of a disk fails), the masked
 * and read-only paths of {@code runc spec} plus Docker's additions, and no host mount but Berth's
 * own read-only {@code /etc/hosts}, {@code /etc/resolv.conf} and init binary. RLIMIT_NOFILE is runc
 * spec's 1024 (a higher hard limit than the host grants fails the start). With the "restricted"
 * security profile ({@link LocalSecurity}) the capability sets are empty.
 */
final class BundleSpec {
  static final String INIT_PATH = "/.berth/init";
  static final List<String> CAPABILITIES =
      List.of(
          "CAP_AUDIT_WRITE",
          "CAP_KILL",
          "CAP_NET_BIND_SERVICE",
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETPCAP",
          "CAP_SETFCAP",
          "CAP_NET_RAW",
          "CAP_SYS_CHROOT",
          "CAP_MKNOD");
  static final List<String> MASKED =
      List.of(
          "/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/sys/firmware",
          "/proc/scsi",
          "/proc/interrupts",
          "/sys/devices/virtual/powercap");
  static final List<String> READONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
  static final long CFS_PERIOD = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private BundleSpec() {}

  /** The process arguments, behind the init when there is one. */
  static List<String> processArgs(ContainerPlan p) {
    if (p.init() == null) {
      return p.args();
    }
    List<String> out = new ArrayList<>();
    out.add(INIT_PATH);
    out.add("--");
    out.addAll(p.args());
    return out;
  }

  static ObjectNode configJson(ContainerPlan p) {
    ObjectNode root = JSON.createObjectNode();
    root.put("ociVersion", "1.0.2-dev");
    ObjectNode process = root.putObject("process");
    process.put("terminal", false);
    ObjectNode user = process.putObject("user");
    user.put("uid", p.uid());
    user.put("gid", p.gid());
    strings(process.putArray("args"), processArgs(p));
    strings(process.putArray("env"), p.env());
    process.put("cwd", p.cwd());
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      strings(caps.putArray(set), p.dropAllCapabilities() ? List.of() : CAPABILITIES);
    }
    ObjectNode nofile = process.putArray("rlimits").addObject();
    nofile.put("type", "RLIMIT_NOFILE");
    nofile.put("hard", 1024);
    nofile.put("soft", 1024);
    process.put("noNewPrivileges", true);
    process.put("oomScoreAdj", p.qos().oomScoreAdj());

    ObjectNode rootfs = root.putObject("root");
    rootfs.put("path", p.rootfs().toString());
    rootfs.put("readonly", false);
    root.put("hostname", p.id());

    ArrayNode mounts = root.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc", List.of());
    mount(
        mounts,
        "/dev",
        "tmpfs",
        "tmpfs",
        List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(
        mounts,
        "/dev/pts",
        "devpts",
        "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
    mount(
        mounts,
        "/dev/shm",
        "tmpfs",
        "shm",
        List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
    mount(
        mounts,
        "/sys/fs/cgroup",
        "cgroup",
        "cgroup",
        List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
    mount(
        mounts, "/etc/hosts", "bind", p.hostsFile().toString(), List.of("rbind", "rprivate", "ro"));
    mount(
        mounts,
        "/etc/resolv.conf",
        "bind",
        p.resolvConf().toString(),
        List.of("rbind", "rprivate", "ro"));
    if (p.init() != null) {
      mount(mounts, INIT_PATH, "bind", p.init().toString(), List.of("rbind", "rprivate", "ro"));
    }

    ObjectNode linux = root.putObject("linux");
    linux.put("cgroupsPath", p.cgroupsPath());
    linux.set("resources", resources(p.resources(), p.qos(), p.cpus()));
    ArrayNode ns = linux.putArray("namespaces");
    for (String type : List.of("pid", "ipc", "uts", "mount")) {
      ns.addObject().put("type", type);
    }
    ObjectNode net = ns.addObject();
    net.put("type", "network");
    net.put("path", p.netnsPath());
    strings(linux.putArray("maskedPaths"), MASKED);
    strings(linux.putArray("readonlyPaths"), READONLY);
    linux.set("seccomp", SeccompProfile.json());
    return root;
  }

  static ObjectNode resources(Resources r, QosTuning qos, String cpus) {
    ObjectNode res = JSON.createObjectNode();
    ObjectNode dev = res.putArray("devices").addObject();
    dev.put("allow", false);
    dev.put("access", "rwm");
    ObjectNode cpu = res.putObject("cpu");
    cpu.put("shares", qos.cpuShares());
    if (r.cpuLimit() > 0) {
      cpu.put("quota", Math.round(r.cpuLimit() * CFS_PERIOD));
      cpu.put("period", CFS_PERIOD);
    }
    if (cpus != null) {
      cpu.put("cpus", cpus);
    }
    if (r.memoryMiB() > 0) {
      ObjectNode mem = res.putObject("memory");
      long bytes = (long) r.memoryMiB() << 20;
      mem.put("limit", bytes);
      mem.put("swap", bytes);
    }
    res.putObject("pids").put("limit", r.pids());
    return res;
  }

  /**
   * The resources for {@code runc update} of a running container: those of the bundle without the
   * device rules, and a quota of -1 (no cap) when there is no CPU limit, so that removing the limit
   * removes it from the cgroup too.
   */
  static String update(Resources r, String cpus) {
    // A live resize keeps the QoS class, so the shares follow the new guarantee as at the start;
    // the OOM score is the process's, not a resource, and stays as it was.
    ObjectNode res = resources(r, QosTuning.of(r, 0), cpus);
    res.remove("devices");
    ObjectNode cpu = (ObjectNode) res.get("cpu");
    if (!cpu.has("quota")) {
      cpu.put("quota", -1);
      cpu.put("period", CFS_PERIOD);
    }
    return res.toString();
  }

  private static void mount(
      ArrayNode mounts, String dest, String type, String source, List<String> options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", dest);
    m.put("type", type);
    m.put("source", source);
    if (!options.isEmpty()) {
      strings(m.putArray("options"), options);
    }
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
