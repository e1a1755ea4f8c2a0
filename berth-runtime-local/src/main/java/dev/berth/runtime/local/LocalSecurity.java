package dev.berth.runtime.local;

import dev.berth.core.app.Security;
import dev.berth.core.runtime.RuntimeFailure;

/**
 * What an app's security profile means on the local runtime. {@code baseline} is every container's
 * default here anyway (never privileged, {@code noNewPrivileges}, the seccomp profile, Docker's
 * default capabilities, no host namespaces or mounts). {@code restricted} adds, as on Kubernetes:
 * the process runs as {@code runAsUser} (else the image's user) and never as root — a root user
 * fails the start, as the kubelet refuses {@code runAsNonRoot} — and the container has no
 * capabilities at all. The group stays the image user's group. Pure.
 */
final class LocalSecurity {
  private LocalSecurity() {}

  /** The uid and gid to run as, given the image's {@code imageUser} (uid, gid). */
  static int[] user(int[] imageUser, Security security) {
    if (!security.restricted()) {
      return imageUser;
    }
    int uid = security.runAsUser() == null ? imageUser[0] : Math.toIntExact(security.runAsUser());
    if (uid == 0) {
      throw new RuntimeFailure(
          "the 'restricted' security profile runs as a non-root user and the image's user is root:"
              + " set security.runAsUser (e.g. 1000) or use an image with a non-root USER");
    }
    return new int[] {uid, imageUser[1]};
  }
}
