package dev.berth.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks of the Kubernetes Pod Security Standards (the pod-security admission controller's
 * policy checks) for the "baseline" and "restricted" profiles, on a pod spec. Each returns the
 * violations, named as the admission controller names its checks; empty when the pod would be
 * admitted.
 */
final class PodSecurityStandards {
  private static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");
  private static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");
  private static final Set<String> SELINUX_TYPES =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  private PodSecurityStandards() {}

  static List<String> baseline(PodSpec pod) {
    List<String> out = new ArrayList<>();
    if (Boolean.TRUE.equals(pod.getHostNetwork())
        || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      out.add("hostNamespaces");
    }
    for (Volume v : pod.getVolumes()) {
      if (v.getHostPath() != null) {
        out.add("hostPathVolumes");
      }
    }
    PodSecurityContext psc = pod.getSecurityContext();
    if (psc != null) {
      if (psc.getSeccompProfile() != null
          && "Unconfined".equals(psc.getSeccompProfile().getType())) {
        out.add("seccompProfile_baseline");
      }
      if (psc.getSeLinuxOptions() != null
          && !SELINUX_TYPES.contains(nullToEmpty(psc.getSeLinuxOptions().getType()))) {
        out.add("seLinuxOptions");
      }
      psc.getSysctls()
          .forEach(
              s -> {
                if (!SAFE_SYSCTLS.contains(s.getName())) {
                  out.add("sysctls");
                }
              });
      if (psc.getAppArmorProfile() != null
          && "Unconfined".equals(psc.getAppArmorProfile().getType())) {
        out.add("appArmorProfile");
      }
    }
    for (Container c : containers(pod)) {
      SecurityContext sc = c.getSecurityContext();
      c.getPorts()
          .forEach(
              p -> {
                if (p.getHostPort() != null && p.getHostPort() != 0) {
                  out.add("hostPorts");
                }
              });
      if (sc == null) {
        continue;
      }
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        out.add("privileged");
      }
      if (sc.getCapabilities() != null) {
        sc.getCapabilities()
            .getAdd()
            .forEach(
                cap -> {
                  if (!BASELINE_CAPABILITIES.contains(cap)) {
                    out.add("capabilities_baseline");
                  }
                });
      }
      if (sc.getSeccompProfile() != null && "Unconfined".equals(sc.getSeccompProfile().getType())) {
        out.add("seccompProfile_baseline");
      }
      if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        out.add("procMount");
      }
      if (sc.getSeLinuxOptions() != null
          && !SELINUX_TYPES.contains(nullToEmpty(sc.getSeLinuxOptions().getType()))) {
        out.add("seLinuxOptions");
      }
      if (sc.getAppArmorProfile() != null
          && "Unconfined".equals(sc.getAppArmorProfile().getType())) {
        out.add("appArmorProfile");
      }
    }
    return out;
  }

  /**
   * Baseline plus: restricted volume types, no privilege escalation, non-root, seccomp set,
   * capabilities dropped.
   */
  static List<String> restricted(PodSpec pod) {
    List<String> out = new ArrayList<>(baseline(pod));
    for (Volume v : pod.getVolumes()) {
      if (v.getConfigMap() == null
          && v.getSecret() == null
          && v.getEmptyDir() == null
          && v.getProjected() == null
          && v.getDownwardAPI() == null
          && v.getPersistentVolumeClaim() == null
          && v.getEphemeral() == null
          && v.getCsi() == null) {
        out.add("restrictedVolumes");
      }
    }
    PodSecurityContext psc = pod.getSecurityContext();
    boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
    boolean podSeccomp =
        psc != null
            && psc.getSeccompProfile() != null
            && Set.of("RuntimeDefault", "Localhost").contains(psc.getSeccompProfile().getType());
    if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
      out.add("runAsUser");
    }
    for (Container c : containers(pod)) {
      SecurityContext sc = c.getSecurityContext();
      if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        out.add("allowPrivilegeEscalation");
      }
      boolean nonRoot =
          sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
      if (!nonRoot) {
        out.add("runAsNonRoot");
      }
      if (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        out.add("runAsUser");
      }
      boolean seccomp =
          sc != null && sc.getSeccompProfile() != null
              ? Set.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType())
              : podSeccomp;
      if (!seccomp) {
        out.add("seccompProfile_restricted");
      }
      var caps = sc == null ? null : sc.getCapabilities();
      if (caps == null || !caps.getDrop().contains("ALL")) {
        out.add("capabilities_restricted");
      } else if (caps.getAdd().stream().anyMatch(cap -> !cap.equals("NET_BIND_SERVICE"))) {
        out.add("capabilities_restricted");
      }
    }
    return out;
  }

  private static List<Container> containers(PodSpec pod) {
    List<Container> all = new ArrayList<>(pod.getContainers());
    all.addAll(pod.getInitContainers());
    return all;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
