package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Berth's default seccomp filter (docs/adr/0009): every system call is allowed except those that
 * reach kernel state a container must not touch and that capabilities alone do not guard. A deny
 * list rather than Docker's allow list, so that a new system call a program needs does not break
 * it; the list is the part of Docker's default profile that matters once the capability set is
 * Docker's.
 *
 * <ul>
 *   <li>{@link #DENIED}: refused with EPERM (kernel keyring, BPF, perf, userfaultfd, io_uring, new
 *       namespaces, mounts, modules, reboot, clock, swap, accounting);
 *   <li>{@code clone} with {@code CLONE_NEWUSER}: EPERM, because a user namespace would hand the
 *       process every capability inside it, and with them the kernel's whole privileged surface;
 *   <li>{@code clone3}: ENOSYS, so that the C library falls back to {@code clone}, whose flags the
 *       filter can see (Docker does the same).
 * </ul>
 *
 * Only the native architecture is listed, so a system call through another ABI (e.g. 32-bit {@code
 * int 0x80} on x86-64) kills the process instead of slipping past the list. Names the kernel or
 * libseccomp does not know are skipped by runc.
 */
final class SeccompProfile {
  static final List<String> DENIED =
      List.of(
          "keyctl",
          "add_key",
          "request_key",
          "bpf",
          "perf_event_open",
          "userfaultfd",
          "io_uring_setup",
          "io_uring_enter",
          "io_uring_register",
          "unshare",
          "setns",
          "mount",
          "umount",
          "umount2",
          "pivot_root",
          "move_mount",
          "open_tree",
          "fsopen",
          "fsmount",
          "fsconfig",
          "fspick",
          "mount_setattr",
          "init_module",
          "finit_module",
          "delete_module",
          "kexec_load",
          "kexec_file_load",
          "reboot",
          "swapon",
          "swapoff",
          "acct",
          "settimeofday",
          "stime",
          "clock_settime",
          "clock_adjtime",
          "syslog",
          "quotactl",
          "lookup_dcookie",
          "open_by_handle_at",
          "iopl",
          "ioperm",
          "uselib",
          "ustat",
          "sysfs",
          "_sysctl",
          "nfsservctl",
          "vm86",
          "vm86old",
          "create_module",
          "get_kernel_syms",
          "query_module");
  static final long CLONE_NEWUSER = 0x10000000L;
  static final int EPERM = 1;
  static final int ENOSYS = 38;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SeccompProfile() {}

  /** The {@code linux.seccomp} object of a runc config. */
  static ObjectNode json() {
    ObjectNode seccomp = JSON.createObjectNode();
    seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
    ArrayNode rules = seccomp.putArray("syscalls");
    ObjectNode denied = rules.addObject();
    DENIED.forEach(denied.putArray("names")::add);
    denied.put("action", "SCMP_ACT_ERRNO");
    denied.put("errnoRet", EPERM);
    ObjectNode userns = rules.addObject();
    userns.putArray("names").add("clone");
    userns.put("action", "SCMP_ACT_ERRNO");
    userns.put("errnoRet", EPERM);
    ObjectNode flags = userns.putArray("args").addObject();
    flags.put("index", 0);
    flags.put("value", CLONE_NEWUSER);
    flags.put("valueTwo", CLONE_NEWUSER);
    flags.put("op", "SCMP_CMP_MASKED_EQ");
    ObjectNode clone3 = rules.addObject();
    clone3.putArray("names").add("clone3");
    clone3.put("action", "SCMP_ACT_ERRNO");
    clone3.put("errnoRet", ENOSYS);
    return seccomp;
  }
}
