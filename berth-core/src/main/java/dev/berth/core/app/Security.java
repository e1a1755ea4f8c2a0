package dev.berth.core.app;

/**
 * How locked down an app's instances run, named after the Kubernetes Pod Security Standards. {@code
 * baseline} (the default) is what every Berth instance gets anyway: never privileged, no privilege
 * escalation, the runtime's default seccomp profile, no host namespaces, ports or paths. {@code
 * restricted} adds what that standard wants: the process runs as a non-root user ({@code
 * runAsUser}, or the image's own user, which must then not be root), with every capability dropped.
 * Immutable.
 */
public record Security(Profile profile, Long runAsUser) {
  public static final Security BASELINE = new Security(Profile.BASELINE, null);

  public Security {
    profile = profile == null ? Profile.BASELINE : profile;
  }

  public boolean restricted() {
    return profile == Profile.RESTRICTED;
  }

  /** The Pod Security Standards profile an app opts into. */
  public enum Profile {
    BASELINE,
    RESTRICTED;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
